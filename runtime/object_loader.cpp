#include "runtime/object_loader.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#if defined(__x86_64__) && defined(__ELF__)
#define DN_NATIVE_OBJECT_LOADER 1
#include <dlfcn.h>
#include <elf.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>

#include "runtime/symbols.h"
#endif

namespace dn {

void* LoadedObject::symbol(const std::string& name) const {
  auto it = symbols_.find(name);
  return it == symbols_.end() ? nullptr : it->second;
}

#ifndef DN_NATIVE_OBJECT_LOADER

LoadedObject::~LoadedObject() = default;
bool native_object_loader_available() { return false; }
std::unique_ptr<LoadedObject> load_object_file(const char*, size_t, std::string* error, bool) {
  if (error) *error = "no native object loader for this host";
  return nullptr;
}

#else

LoadedObject::~LoadedObject() {
  if (base_) munmap(base_, size_);
}

bool native_object_loader_available() { return true; }

namespace {

// Our objects are a few KiB; the cap keeps every distance inside the image well within
// the ±2 GiB of a 32-bit PC-relative field and stops a corrupt .bss size from mapping
// the address space.
constexpr uint64_t kMaxImage = uint64_t(1) << 30;
constexpr uint64_t kStubSize = 16;  // jmp *0(%rip) (6 bytes), the 8-byte target, padding
enum Group { kExec, kReadOnly, kWritable, kGroups };

uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }
bool fits_int32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

std::string hex(uint64_t v) {
  char buf[24];
  snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

const char* relocation_name(uint32_t type) {
  switch (type) {
    case R_X86_64_NONE: return "R_X86_64_NONE";
    case R_X86_64_64: return "R_X86_64_64";
    case R_X86_64_PC32: return "R_X86_64_PC32";
    case R_X86_64_PLT32: return "R_X86_64_PLT32";
    case R_X86_64_PC64: return "R_X86_64_PC64";
    case R_X86_64_GOTPCREL: return "R_X86_64_GOTPCREL";
    case R_X86_64_GOTPCRELX: return "R_X86_64_GOTPCRELX";
    case R_X86_64_REX_GOTPCRELX: return "R_X86_64_REX_GOTPCRELX";
    case R_X86_64_32: return "R_X86_64_32";
    case R_X86_64_32S: return "R_X86_64_32S";
    default: return nullptr;
  }
}

bool is_gotpcrel(uint32_t type) {
  return type == R_X86_64_GOTPCREL || type == R_X86_64_GOTPCRELX || type == R_X86_64_REX_GOTPCRELX;
}

// An undefined symbol, looked up where the JIT looks: dunnart's runtime table first (the
// runtime instance linked into this library, which need not be visible to dlsym), then
// the process, then glibc's math libraries (generated code calls libmvec's _ZGV* variants,
// which nothing else in the process may have loaded).
void* resolve_external(const char* name) {
  for (const RuntimeSymbol* s = runtime_symbols(); s->name; ++s)
    if (std::strcmp(s->name, name) == 0) return s->address;
  if (void* p = dlsym(RTLD_DEFAULT, name)) return p;
  static void* const libm = dlopen("libm.so.6", RTLD_NOW);
  static void* const libmvec = dlopen("libmvec.so.1", RTLD_NOW);
  for (void* lib : {libm, libmvec})
    if (lib)
      if (void* p = dlsym(lib, name)) return p;
  return nullptr;
}

}  // namespace

// One load: every read of the file is checked against [data, data + size) first.
class ObjectFileLoader {
 public:
  ObjectFileLoader(const char* data, size_t size, std::string* error, bool stub_every_call)
      : data_(data), size_(size), error_(error), stub_every_call_(stub_every_call) {}

  std::unique_ptr<LoadedObject> run() {
    std::unique_ptr<LoadedObject> object(new LoadedObject());
    if (!read_headers() || !read_symbol_table() || !lay_out() || !map(*object) || !resolve_symbols(*object) ||
        !relocate() || !protect())
      return nullptr;
    return object;
  }

 private:
  bool fail(const std::string& message) {
    if (error_) *error_ = message;
    return false;
  }
  bool in_file(uint64_t offset, uint64_t length) const { return offset <= size_ && length <= size_ - offset; }

  // A NUL-terminated string at `offset` of string table `table`, or nullptr.
  const char* string_at(const Elf64_Shdr& table, uint64_t offset) const {
    if (table.sh_type != SHT_STRTAB || offset >= table.sh_size) return nullptr;
    const char* s = data_ + table.sh_offset + offset;
    return std::memchr(s, 0, table.sh_size - offset) ? s : nullptr;
  }
  std::string section_name(uint32_t i) const {
    const char* n = eh_.e_shstrndx < sh_.size() ? string_at(sh_[eh_.e_shstrndx], sh_[i].sh_name) : nullptr;
    return n && *n ? n : "section " + std::to_string(i);
  }
  std::string symbol_name(uint32_t i) const {
    const char* n = string_at(sh_[symtab_.sh_link], syms_[i].st_name);
    return n && *n ? n : "symbol " + std::to_string(i);
  }

  bool read_headers() {
    if (!data_ || size_ < sizeof(Elf64_Ehdr) || std::memcmp(data_, ELFMAG, SELFMAG) != 0)
      return fail("not an ELF object");
    std::memcpy(&eh_, data_, sizeof eh_);
    if (eh_.e_ident[EI_CLASS] != ELFCLASS64 || eh_.e_ident[EI_DATA] != ELFDATA2LSB)
      return fail("not a little-endian ELF64 object");
    if (eh_.e_type != ET_REL) return fail("not a relocatable object (ELF type " + std::to_string(eh_.e_type) + ")");
    if (eh_.e_machine != EM_X86_64)
      return fail("object is for ELF machine " + std::to_string(eh_.e_machine) + ", not x86-64");
    if (eh_.e_shentsize != sizeof(Elf64_Shdr) || eh_.e_shnum == 0 ||
        !in_file(eh_.e_shoff, uint64_t(eh_.e_shnum) * sizeof(Elf64_Shdr)))
      return fail("truncated or corrupt section header table");
    sh_.resize(eh_.e_shnum);
    std::memcpy(sh_.data(), data_ + eh_.e_shoff, sh_.size() * sizeof(Elf64_Shdr));
    for (size_t i = 0; i < sh_.size(); ++i)
      if (sh_[i].sh_type != SHT_NOBITS && sh_[i].sh_type != SHT_NULL && !in_file(sh_[i].sh_offset, sh_[i].sh_size))
        return fail("truncated object: section " + std::to_string(i) + " lies outside the file");
    return true;
  }

  bool read_symbol_table() {
    for (size_t i = 0; i < sh_.size(); ++i)
      if (sh_[i].sh_type == SHT_SYMTAB) {
        if (symtab_index_) return fail("more than one symbol table");
        symtab_index_ = uint32_t(i);
      }
    if (!symtab_index_) return fail("no symbol table");
    symtab_ = sh_[symtab_index_];
    if (symtab_.sh_entsize != sizeof(Elf64_Sym) || symtab_.sh_size % sizeof(Elf64_Sym) != 0 ||
        symtab_.sh_link >= sh_.size() || sh_[symtab_.sh_link].sh_type != SHT_STRTAB)
      return fail("corrupt symbol table");
    syms_.resize(symtab_.sh_size / sizeof(Elf64_Sym));
    if (!syms_.empty()) std::memcpy(syms_.data(), data_ + symtab_.sh_offset, symtab_.sh_size);
    return true;
  }

  // Executable sections (and the call stubs), then read-only ones (and the GOT), then
  // writable ones, each group starting on a page so it can be protected on its own.
  bool lay_out() {
    uint64_t end[kGroups] = {0, 0, 0};
    offset_.assign(sh_.size(), 0);
    group_.assign(sh_.size(), -1);
    for (uint32_t i = 0; i < sh_.size(); ++i) {
      const Elf64_Shdr& s = sh_[i];
      if (!(s.sh_flags & SHF_ALLOC)) continue;
      // Unwind tables are not loaded: no C++ exception or unwinder crosses generated code
      // (errors come back as status codes), and nothing registers them with the unwinder.
      if (s.sh_type == SHT_X86_64_UNWIND || section_name(i) == ".eh_frame") continue;
      if (s.sh_flags & SHF_TLS) return fail("thread-local section " + section_name(i) + " is not supported");
      if (s.sh_type != SHT_PROGBITS && s.sh_type != SHT_NOBITS)
        return fail("unsupported allocated section " + section_name(i) + " (type " + std::to_string(s.sh_type) + ")");
      uint64_t align = s.sh_addralign ? s.sh_addralign : 1;
      if ((align & (align - 1)) || align > page_) return fail("bad alignment of section " + section_name(i));
      if (s.sh_size > kMaxImage) return fail("section " + section_name(i) + " is too large");
      int g = (s.sh_flags & SHF_EXECINSTR) ? kExec : (s.sh_flags & SHF_WRITE) ? kWritable : kReadOnly;
      group_[i] = g;
      offset_[i] = align_up(end[g], align);
      end[g] = offset_[i] + s.sh_size;
      if (end[g] > kMaxImage) return fail("object is too large");
    }
    // Call stubs and GOT slots, one per symbol that needs them.
    stub_.assign(syms_.size(), -1);
    got_.assign(syms_.size(), -1);
    int64_t stubs = 0, slots = 0;
    if (!for_each_relocation([&](uint32_t, const Elf64_Rela& r) {
          uint32_t sym = ELF64_R_SYM(r.r_info), type = ELF64_R_TYPE(r.r_info);
          bool external = sym != 0 && syms_[sym].st_shndx == SHN_UNDEF;
          if ((type == R_X86_64_PLT32 || type == R_X86_64_PC32) && external && stub_[sym] < 0) stub_[sym] = stubs++;
          if (is_gotpcrel(type) && got_[sym] < 0) got_[sym] = slots++;
          return true;
        }))
      return false;
    stubs_at_ = align_up(end[kExec], 16);
    end[kExec] = stubs_at_ + uint64_t(stubs) * kStubSize;
    got_at_ = align_up(end[kReadOnly], 8);
    end[kReadOnly] = got_at_ + uint64_t(slots) * 8;
    uint64_t at = 0;
    for (int g = 0; g < kGroups; ++g) {
      start_[g] = at;
      at += align_up(end[g], page_);
    }
    image_size_ = at;
    if (image_size_ == 0) return fail("object has nothing to load");
    if (image_size_ > kMaxImage) return fail("object is too large");
    return true;
  }

  // Calls f(target section, entry) for every relocation that applies to a loaded section,
  // after checking the relocation section and the entry's symbol and place.
  template <class F>
  bool for_each_relocation(F f) {
    for (uint32_t i = 0; i < sh_.size(); ++i) {
      const Elf64_Shdr& r = sh_[i];
      if (r.sh_type != SHT_RELA && r.sh_type != SHT_REL) continue;
      if (r.sh_info >= sh_.size()) return fail("corrupt relocation section " + section_name(i));
      if (group_[r.sh_info] < 0) continue;  // applies to a section that is not loaded
      if (r.sh_type == SHT_REL) return fail("REL relocations (without addends) are not supported");
      if (r.sh_link != symtab_index_ || r.sh_entsize != sizeof(Elf64_Rela) || r.sh_size % sizeof(Elf64_Rela) != 0)
        return fail("corrupt relocation section " + section_name(i));
      const Elf64_Shdr& target = sh_[r.sh_info];
      if (target.sh_type == SHT_NOBITS) return fail("relocations against NOBITS section " + section_name(r.sh_info));
      for (uint64_t k = 0; k < r.sh_size / sizeof(Elf64_Rela); ++k) {
        Elf64_Rela e;
        std::memcpy(&e, data_ + r.sh_offset + k * sizeof(Elf64_Rela), sizeof e);
        uint32_t sym = ELF64_R_SYM(e.r_info);
        if (sym >= syms_.size()) return fail("relocation in " + section_name(i) + " names a missing symbol");
        if (e.r_offset > target.sh_size)  // apply() checks the field's width
          return fail("relocation in " + section_name(i) + " lies outside its section");
        if (!f(r.sh_info, e)) return false;
      }
    }
    return true;
  }

  bool map(LoadedObject& object) {
    void* p = mmap(nullptr, image_size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return fail(std::string("cannot map the object: ") + std::strerror(errno));
    object.base_ = p;
    object.size_ = image_size_;
    image_ = static_cast<char*>(p);
    for (uint32_t i = 0; i < sh_.size(); ++i)
      if (group_[i] >= 0 && sh_[i].sh_type == SHT_PROGBITS)
        std::memcpy(image_ + section_offset(i), data_ + sh_[i].sh_offset, sh_[i].sh_size);
    return true;  // NOBITS sections stay as the zeroes mmap gave
  }
  uint64_t section_offset(uint32_t i) const { return start_[group_[i]] + offset_[i]; }
  uint64_t address(uint64_t image_offset) const { return reinterpret_cast<uint64_t>(image_) + image_offset; }

  // Addresses of all symbols, and the table of the defined global ones. Symbols of sections
  // that are not loaded (unwind tables, debug info) stay unusable: a relocation that needs
  // one fails.
  bool resolve_symbols(LoadedObject& object) {
    addr_.assign(syms_.size(), 0);
    usable_.assign(syms_.size(), false);
    if (!syms_.empty()) usable_[0] = true;  // the null symbol: S = 0
    for (uint32_t i = 1; i < syms_.size(); ++i) {
      const Elf64_Sym& s = syms_[i];
      uint16_t shndx = s.st_shndx;
      if (shndx == SHN_UNDEF) {
        const char* name = string_at(sh_[symtab_.sh_link], s.st_name);
        if (!name || !*name) return fail("undefined symbol without a name");
        void* p = resolve_external(name);
        if (!p && ELF64_ST_BIND(s.st_info) != STB_WEAK)
          return fail(std::string("undefined symbol '") + name +
                      "' is not in dunnart's runtime, the process, libm or libmvec");
        addr_[i] = reinterpret_cast<uint64_t>(p);
      } else if (shndx == SHN_ABS) {
        addr_[i] = s.st_value;
      } else if (shndx == SHN_COMMON) {
        return fail("COMMON symbol '" + symbol_name(i) + "' is not supported");
      } else if (shndx >= sh_.size()) {
        return fail("symbol '" + symbol_name(i) + "' has an unsupported section index");
      } else if (group_[shndx] < 0) {
        continue;
      } else {
        if (s.st_value > sh_[shndx].sh_size) return fail("symbol '" + symbol_name(i) + "' lies outside its section");
        addr_[i] = address(section_offset(shndx) + s.st_value);
        uint8_t bind = ELF64_ST_BIND(s.st_info);
        if ((bind == STB_GLOBAL || bind == STB_WEAK) && s.st_name)
          object.symbols_[symbol_name(i)] = reinterpret_cast<void*>(addr_[i]);
      }
      usable_[i] = true;
    }
    return true;
  }

  bool relocate() {
    for (uint32_t i = 0; i < syms_.size(); ++i) {
      if (stub_[i] >= 0) {  // jmp *0(%rip); .quad target
        char* stub = image_ + stubs_at_ + uint64_t(stub_[i]) * kStubSize;
        static const unsigned char jmp[6] = {0xff, 0x25, 0, 0, 0, 0};
        std::memcpy(stub, jmp, sizeof jmp);
        std::memcpy(stub + 6, &addr_[i], 8);
      }
      if (got_[i] >= 0) std::memcpy(image_ + start_[kReadOnly] + got_at_ + uint64_t(got_[i]) * 8, &addr_[i], 8);
    }
    return for_each_relocation([&](uint32_t target, const Elf64_Rela& r) { return apply(target, r); });
  }

  bool apply(uint32_t target, const Elf64_Rela& r) {
    uint32_t sym = ELF64_R_SYM(r.r_info), type = ELF64_R_TYPE(r.r_info);
    const char* name = relocation_name(type);
    auto where = [&] {
      return std::string(name ? name : "relocation") + " at " + section_name(target) + "+" + hex(r.r_offset) +
             " against '" + symbol_name(sym) + "'";
    };
    if (!name) return fail("unsupported relocation type " + std::to_string(type) + " in " + section_name(target));
    if (!usable_[sym]) return fail(where() + ": its section is not loaded");
    char* place = image_ + section_offset(target) + r.r_offset;
    uint64_t p = reinterpret_cast<uint64_t>(place), s = addr_[sym], a = uint64_t(r.r_addend);
    bool wide = type == R_X86_64_64 || type == R_X86_64_PC64;
    if (sh_[target].sh_size - r.r_offset < (wide ? 8u : 4u)) return fail(where() + ": lies outside its section");
    int64_t value = 0;
    switch (type) {
      case R_X86_64_NONE:
        return true;
      case R_X86_64_64:
      case R_X86_64_PC64: {
        uint64_t v = type == R_X86_64_64 ? s + a : s + a - p;
        std::memcpy(place, &v, 8);
        return true;
      }
      case R_X86_64_PC32:
      case R_X86_64_PLT32:
        value = int64_t(s + a - p);
        // A call or jump to a function farther than ±2 GiB goes through its stub. PC32 may
        // also address data, so it takes the stub only after a call/jmp opcode.
        if ((stub_every_call_ || !fits_int32(value)) && stub_[sym] >= 0 && (type == R_X86_64_PLT32 || branch_before(target, r.r_offset)))
          value = int64_t(address(stubs_at_ + uint64_t(stub_[sym]) * kStubSize) + a - p);
        break;
      case R_X86_64_GOTPCREL:
      case R_X86_64_GOTPCRELX:
      case R_X86_64_REX_GOTPCRELX:
        value = int64_t(address(start_[kReadOnly] + got_at_ + uint64_t(got_[sym]) * 8) + a - p);
        break;
      case R_X86_64_32:
        if (s + a > UINT32_MAX) return fail(where() + ": value does not fit in 32 bits");
        value = int64_t(int32_t(uint32_t(s + a)));
        break;
      case R_X86_64_32S:
        value = int64_t(s + a);
        break;
    }
    if (!fits_int32(value)) return fail(where() + ": value does not fit in 32 bits (target too far)");
    int32_t v32 = int32_t(value);
    std::memcpy(place, &v32, 4);
    return true;
  }

  // Whether the 32-bit field at `offset` is the displacement of call/jmp rel32 or jcc rel32.
  bool branch_before(uint32_t section, uint64_t offset) const {
    const unsigned char* code = reinterpret_cast<const unsigned char*>(data_ + sh_[section].sh_offset);
    if (offset >= 1 && (code[offset - 1] == 0xe8 || code[offset - 1] == 0xe9)) return true;
    return offset >= 2 && code[offset - 2] == 0x0f && (code[offset - 1] & 0xf0) == 0x80;
  }

  bool protect() {
    const int prot[kGroups] = {PROT_READ | PROT_EXEC, PROT_READ, PROT_READ | PROT_WRITE};
    for (int g = 0; g < kGroups; ++g) {
      uint64_t end = g + 1 < kGroups ? start_[g + 1] : image_size_;
      if (end > start_[g] && mprotect(image_ + start_[g], end - start_[g], prot[g]) != 0)
        return fail(std::string("cannot protect the object's pages: ") + std::strerror(errno));
    }
    return true;
  }

  const char* data_;
  size_t size_;
  std::string* error_;
  const uint64_t page_ = uint64_t(sysconf(_SC_PAGESIZE));
  Elf64_Ehdr eh_{};
  std::vector<Elf64_Shdr> sh_;
  uint32_t symtab_index_ = 0;
  Elf64_Shdr symtab_{};
  std::vector<Elf64_Sym> syms_;
  std::vector<uint64_t> offset_;  // per section: offset within its group
  std::vector<int> group_;        // per section: its Group, or -1 when not loaded
  bool stub_every_call_ = false;
  std::vector<int64_t> stub_, got_;  // per symbol: index of its call stub / GOT slot, or -1
  std::vector<uint64_t> addr_;       // per symbol: its address
  std::vector<bool> usable_;         // per symbol: whether addr_ means anything
  uint64_t start_[kGroups] = {0, 0, 0};
  uint64_t stubs_at_ = 0, got_at_ = 0;  // offsets of the stubs in kExec, the GOT in kReadOnly
  uint64_t image_size_ = 0;
  char* image_ = nullptr;
};

std::unique_ptr<LoadedObject> load_object_file(const char* data, size_t size, std::string* error,
                                               bool stub_every_call) {
  return ObjectFileLoader(data, size, error, stub_every_call).run();
}

#endif  // DN_NATIVE_OBJECT_LOADER

}  // namespace dn
