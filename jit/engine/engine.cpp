#include "jit/engine/engine.h"

#include <deque>
#include <vector>

#include <llvm/Analysis/TargetLibraryInfo.h>
#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ObjectTransformLayer.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Module.h>
#include <llvm/IRReader/IRReader.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Transforms/Scalar/DFAJumpThreading.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/Support/DynamicLibrary.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/TargetParser/Host.h>
#include <llvm/Transforms/Utils/Cloning.h>

#include "jit/support/diagnostics.h"
#include "runtime/symbols.h"

namespace dn {

struct Engine::Impl {
  std::unique_ptr<llvm::orc::LLJIT> jit;
  std::unique_ptr<llvm::TargetMachine> tm;
  std::deque<std::string> names;       // storage for the VecDescs' StringRefs
  std::vector<llvm::VecDesc> libmvec;  // glibc vector functions LLVM 19's table lacks
  std::string* capture = nullptr;      // add_module's object_out while it links (under mu_)
  int64_t objects = 0;                 // JITDylibs made by add_object
};

// glibc 2.35+ exports vector variants of most of libm (_ZGV<isa>N<lanes>v_<name>), but
// LLVM 19's LIBMVEC_X86 table knows only sin/cos/tan/exp/log/pow. Register the others
// for the ISAs the host has: SSE ('b'), AVX2 ('d'), AVX-512 ('e').
static void add_libmvec_functions(Engine::Impl& impl, const std::string& features) {
  static const char* unary[] = {"acos", "acosh", "asin", "asinh", "atan", "atanh", "cbrt",
                                "cosh", "erf", "erfc", "exp10", "exp2", "expm1", "log10",
                                "log1p", "log2", "sinh", "tanh"};
  static const char* intrinsics[] = {"exp2", "log2", "log10"};  // also called as llvm.*
  struct Isa {
    char code;
    int doubles;
    const char* feature;
  };
  const Isa isas[] = {{'b', 2, "+sse4.1"}, {'d', 4, "+avx2"}, {'e', 8, "+avx512f"}};
  auto add = [&](const std::string& scalar, const std::string& vector, int lanes, const std::string& params) {
    impl.names.push_back(scalar);
    llvm::StringRef s = impl.names.back();
    impl.names.push_back(vector);
    llvm::StringRef v = impl.names.back();
    impl.names.push_back("_ZGV_LLVM_N" + std::to_string(lanes) + params);
    llvm::StringRef abi = impl.names.back();
    impl.libmvec.emplace_back(s, v, llvm::ElementCount::getFixed(unsigned(lanes)), false, abi);
  };
  for (const Isa& isa : isas) {
    if (features.find(isa.feature) == std::string::npos) continue;
    for (const char* f : unary) {
      std::string d = std::string("_ZGV") + isa.code + "N" + std::to_string(isa.doubles) + "v_" + f;
      std::string s = std::string("_ZGV") + isa.code + "N" + std::to_string(isa.doubles * 2) + "v_" + f + "f";
      add(f, d, isa.doubles, "v");
      add(std::string(f) + "f", s, isa.doubles * 2, "v");
    }
    for (const char* f : intrinsics) {
      add(std::string("llvm.") + f + ".f64", std::string("_ZGV") + isa.code + "N" + std::to_string(isa.doubles) + "v_" + f, isa.doubles, "v");
      add(std::string("llvm.") + f + ".f32", std::string("_ZGV") + isa.code + "N" + std::to_string(isa.doubles * 2) + "v_" + f + "f", isa.doubles * 2, "v");
    }
  }
}

static std::string error_text(llvm::Error e) {
  std::string s;
  llvm::handleAllErrors(std::move(e), [&](const llvm::ErrorInfoBase& info) { s += info.message(); });
  return s;
}

Engine& Engine::get() {
  static Engine* e = new Engine();  // lives as long as the process: code it made may run
  return *e;
}

Engine::~Engine() = default;

Engine::Engine() : impl_(std::make_unique<Impl>()) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  llvm::InitializeNativeTargetAsmParser();
  // Ordered (strict) float reductions let loops that call exp/log vectorise while keeping
  // Python's order of additions; fastmath code reorders freely anyway.
  const char* argv[] = {"dunnart", "-force-ordered-reductions=true"};
  llvm::cl::ParseCommandLineOptions(2, argv, "dunnart\n", &llvm::nulls());
  // glibc's vector math library, for the vector variants of exp/log/sin/cos/...
  llvm::sys::DynamicLibrary::LoadLibraryPermanently("libmvec.so.1");
  llvm::sys::DynamicLibrary::LoadLibraryPermanently("libm.so.6");

  auto jtmb = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!jtmb) internal_error(__FILE__, __LINE__, "cannot detect the host target: " + error_text(jtmb.takeError()));
  jtmb->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  // PIC, small code model: constants, jump tables and calls are PC-relative, so cached
  // objects need only the few relocations runtime/object_loader.cpp handles. LLJIT sets
  // the same on its own copy of the builder; setting it here too makes the optimiser's and
  // inspect_asm's target machine match the code that runs (a JIT target machine otherwise
  // defaults to the large code model: movabs for every constant in the dumps).
  jtmb->setRelocationModel(llvm::Reloc::PIC_);
  jtmb->setCodeModel(llvm::CodeModel::Small);
  host_.triple = jtmb->getTargetTriple().str();
  host_.cpu = jtmb->getCPU();
  host_.features = jtmb->getFeatures().getString();
  auto tm = jtmb->createTargetMachine();
  if (!tm) internal_error(__FILE__, __LINE__, "cannot create the target machine: " + error_text(tm.takeError()));
  impl_->tm = std::move(*tm);
  add_libmvec_functions(*impl_, host_.features);

  auto jit = llvm::orc::LLJITBuilder().setJITTargetMachineBuilder(std::move(*jtmb)).create();
  if (!jit) internal_error(__FILE__, __LINE__, "cannot create the JIT: " + error_text(jit.takeError()));
  impl_->jit = std::move(*jit);
  auto& jd = impl_->jit->getMainJITDylib();
  llvm::orc::SymbolMap runtime;
  for (const RuntimeSymbol* s = runtime_symbols(); s->name; ++s)
    runtime[impl_->jit->mangleAndIntern(s->name)] = {llvm::orc::ExecutorAddr::fromPtr(s->address),
                                                     llvm::JITSymbolFlags::Exported};
  llvm::cantFail(jd.define(llvm::orc::absoluteSymbols(std::move(runtime))));
  auto gen = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
      impl_->jit->getDataLayout().getGlobalPrefix());
  if (!gen) internal_error(__FILE__, __LINE__, "cannot search process symbols: " + error_text(gen.takeError()));
  jd.addGenerator(std::move(*gen));
  // Copies the object code of modules being added when add_module asks for it. Objects
  // are compiled on the thread that looks the entry up, which holds mu_.
  Impl* impl = impl_.get();
  impl_->jit->getObjTransformLayer().setTransform(
      [impl](std::unique_ptr<llvm::MemoryBuffer> obj) -> llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> {
        if (impl->capture) impl->capture->assign(obj->getBufferStart(), obj->getBufferSize());
        return std::move(obj);
      });
}

void Engine::optimize(llvm::Module& m, bool fastmath) {
  (void)fastmath;  // fast-math flags are set on the instructions by codegen
  // The target machine (its cache of subtargets) is not thread-safe: one pipeline at a
  // time, also against the warm-up on the compiler's loading thread.
  std::lock_guard<std::mutex> lock(mu_);
  llvm::TargetMachine& tm = *impl_->tm;
  m.setDataLayout(tm.createDataLayout());
  m.setTargetTriple(host_.triple);
  for (llvm::Function& f : m) {
    if (f.isDeclaration()) continue;
    f.addFnAttr("target-cpu", host_.cpu);
    f.addFnAttr("target-features", host_.features);
    // Full-width vectors where the host has AVX-512: libmvec's 8-lane variants halve the
    // calls per element in exp/log/tanh-heavy loops.
    if (host_.features.find("+avx512f") != std::string::npos) f.addFnAttr("prefer-vector-width", "512");
  }

  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PipelineTuningOptions pto;
  pto.LoopVectorization = true;
  pto.SLPVectorization = true;
  llvm::PassBuilder pb(&tm, pto);
  // A generator's resume, inlined into the loop that iterates it, is a switch on the state
  // it left in its frame: threaded, each yield jumps straight to where it resumes.
  pb.registerScalarOptimizerLateEPCallback([](llvm::FunctionPassManager& fpm, llvm::OptimizationLevel) {
    fpm.addPass(llvm::DFAJumpThreadingPass());
  });
  llvm::TargetLibraryInfoImpl tlii(llvm::Triple(host_.triple));
  tlii.addVectorizableFunctionsFromVecLib(llvm::TargetLibraryInfoImpl::LIBMVEC_X86,
                                          llvm::Triple(host_.triple));
  tlii.addVectorizableFunctions(impl_->libmvec);
  fam.registerPass([&] { return llvm::TargetLibraryAnalysis(tlii); });
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::ModulePassManager mpm = pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3);
  mpm.run(m, mam);
}

std::string Engine::assembly(const llvm::Module& m) {
  std::unique_ptr<llvm::Module> copy = llvm::CloneModule(m);
  llvm::SmallString<0> buffer;
  llvm::raw_svector_ostream os(buffer);
  llvm::legacy::PassManager pm;
  std::lock_guard<std::mutex> lock(mu_);
  if (impl_->tm->addPassesToEmitFile(pm, os, nullptr, llvm::CodeGenFileType::AssemblyFile))
    return "; this target cannot emit assembly";
  pm.run(*copy);
  return std::string(buffer.str());
}

std::string Engine::assembly_from_ir(const std::string& ir) {
  llvm::LLVMContext ctx;
  llvm::SMDiagnostic diag;
  std::unique_ptr<llvm::Module> m = llvm::parseIR(llvm::MemoryBufferRef(ir, "inspect"), diag, ctx);
  if (!m) return "; cannot parse the module: " + diag.getMessage().str();
  return assembly(*m);
}

void* Engine::add_module(std::unique_ptr<llvm::Module> m, std::unique_ptr<llvm::LLVMContext> ctx,
                         const std::string& symbol, std::string* object_out) {
  std::lock_guard<std::mutex> lock(mu_);
  llvm::orc::ThreadSafeModule tsm(std::move(m), llvm::orc::ThreadSafeContext(std::move(ctx)));
  if (auto err = impl_->jit->addIRModule(std::move(tsm)))
    internal_error(__FILE__, __LINE__, "adding the module to the JIT failed: " + error_text(std::move(err)));
  impl_->capture = object_out;
  auto addr = impl_->jit->lookup(symbol);
  impl_->capture = nullptr;
  if (!addr) internal_error(__FILE__, __LINE__, "linking " + symbol + " failed: " + error_text(addr.takeError()));
  return addr->toPtr<void*>();
}

void Engine::warm_up(const std::function<bool()>& cancelled) {
  // A loop with a float reduction, a branch and a libm call: vectoriser, SLP, instruction
  // selection and register allocation all run on it.
  static const char ir[] = R"(
declare double @exp(double)
define double @dn_warm_up(ptr %a, i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %next, %loop ]
  %s = phi double [ 0.0, %entry ], [ %s2, %loop ]
  %p = getelementptr double, ptr %a, i64 %i
  %x = load double, ptr %p
  %e = call double @exp(double %x)
  %pos = fcmp ogt double %x, 0.0
  %v = select i1 %pos, double %e, double %x
  %s2 = fadd fast double %s, %v
  %next = add nsw i64 %i, 1
  %done = icmp sge i64 %next, %n
  br i1 %done, label %exit, label %loop
exit:
  ret double %s2
}
)";
  auto ctx = std::make_unique<llvm::LLVMContext>();
  llvm::SMDiagnostic diag;
  std::unique_ptr<llvm::Module> m = llvm::parseIR(llvm::MemoryBufferRef(ir, "warm_up"), diag, *ctx);
  if (!m || cancelled()) return;
  optimize(*m, false);
  if (cancelled()) return;
  add_module(std::move(m), std::move(ctx), "dn_warm_up");
}

void* Engine::add_object(const std::string& bytes, const std::string& symbol) {
  std::lock_guard<std::mutex> lock(mu_);
  auto jd = impl_->jit->createJITDylib("cached_" + std::to_string(impl_->objects++));
  if (!jd) internal_error(__FILE__, __LINE__, "cannot create a JITDylib: " + error_text(jd.takeError()));
  jd->addToLinkOrder(impl_->jit->getMainJITDylib());
  auto buffer = llvm::MemoryBuffer::getMemBufferCopy(bytes, symbol);
  if (auto err = impl_->jit->addObjectFile(*jd, std::move(buffer)))
    internal_error(__FILE__, __LINE__, "adding cached object code failed: " + error_text(std::move(err)));
  auto addr = impl_->jit->lookup(*jd, symbol);
  if (!addr) internal_error(__FILE__, __LINE__, "linking cached " + symbol + " failed: " + error_text(addr.takeError()));
  return addr->toPtr<void*>();
}

}  // namespace dn
