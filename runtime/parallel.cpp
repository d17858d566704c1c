// Parallel loops for compiled code: a prange loop's body, outlined into a function of its
// own (outline_parallel_loops), run over [0, n) on OpenMP's threads (GCC's libgomp), each
// thread one contiguous block of iterations (a static schedule). Memory a block allocates
// is its own (it cannot escape the body: the outliner refuses loops that store into
// containers from outside), so each block releases it when it ends. The first error a
// block raises reaches the thread that started the loop.
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#include <pthread.h>

#include "runtime/abi.h"
#include "runtime/errors.h"

namespace {

int64_t hardware_threads() {
  int64_t n = int64_t(std::thread::hardware_concurrency());
  return std::max<int64_t>(1, std::max<int64_t>(n, int64_t(omp_get_num_procs())));
}

// DUNNART_NUM_THREADS (as Numba's NUMBA_NUM_THREADS), else every core there is; never
// more than the cores.
int64_t default_threads() {
  if (const char* env = std::getenv("DUNNART_NUM_THREADS")) {
    char* end = nullptr;
    long long v = std::strtoll(env, &end, 10);
    if (end != env && *end == '\0' && v >= 1) return std::min<int64_t>({v, hardware_threads(), DN_MAX_THREADS});
  }
  return std::min<int64_t>(hardware_threads(), DN_MAX_THREADS);
}

std::atomic<int64_t>& threads_setting() {
  static std::atomic<int64_t> n{default_threads()};
  return n;
}

}  // namespace

extern "C" int64_t dn_max_threads(void) {
  static const int64_t n = default_threads();
  return n;
}

extern "C" int64_t dn_get_num_threads(void) { return threads_setting().load(std::memory_order_relaxed); }

extern "C" int32_t dn_set_num_threads(int64_t n) {
  if (n < 1 || n > dn_max_threads()) {
    dn_set_error(DN_VALUE_ERROR, ("The number of threads must be between 1 and " + std::to_string(dn_max_threads()) +
                                  " (dunnart's maximum, set by DUNNART_NUM_THREADS or the cores there are)").c_str());
    return DN_VALUE_ERROR;
  }
  threads_setting().store(n, std::memory_order_relaxed);
  return 0;
}

namespace {

thread_local int64_t t_thread_id = 0;
thread_local bool t_in_parallel = false;
struct LoopRun;
thread_local LoopRun* t_run = nullptr;  // the loop this thread runs a block of (null: serial)

// GNU OpenMP is not fork-safe: a child of a process whose thread team exists waits in its
// first parallel region for threads it does not have. Such a child runs its loops on
// threads of its own (std::thread, started per loop) instead.
std::atomic<bool> g_team_started{false};
bool g_forked_after_team = false;
void note_fork_in_child() {
  if (g_team_started.load()) g_forked_after_team = true;
}
const int g_fork_handler = pthread_atfork(nullptr, nullptr, note_fork_in_child);

// One loop's shared state: the body, and the first error a block raised.
struct LoopRun {
  DnParallelBody body;
  void* context;
  int64_t n;
  std::atomic<int32_t> status{0};
  std::atomic<int64_t> turn{0};  // the block whose turn it is to combine (dn_parallel_wait_turn)
  std::mutex first_error_lock;
  dn_runtime::PendingError first_error;

  // Block t of count: contiguous, the first n % count blocks one iteration longer.
  void run_block(int64_t t, int64_t count) {
    int64_t lo = n / count * t + std::min(t, n % count);
    int64_t hi = lo + n / count + (t < n % count ? 1 : 0);
    t_thread_id = t;
    t_in_parallel = true;
    t_run = this;
    int64_t mark = dn_arena_mark();
    int32_t s = lo < hi ? body(context, lo, hi, t) : 0;
    dn_arena_release(mark);
    t_in_parallel = false;
    t_thread_id = 0;
    t_run = nullptr;
    if (s == 0) return;
    dn_runtime::PendingError e = dn_runtime::take_error();
    int32_t none = 0;
    if (status.compare_exchange_strong(none, s)) {
      std::lock_guard<std::mutex> hold(first_error_lock);
      first_error = std::move(e);
    }
  }
};

}  // namespace

extern "C" int64_t dn_get_thread_id(void) { return t_thread_id; }

extern "C" int32_t dn_parallel_for(DnParallelBody body, void* context, int64_t n, int64_t* blocks) {
  (void)g_fork_handler;
  *blocks = 0;
  if (n <= 0) return 0;
  // Every block has an iteration: each one's partial results are then defined.
  int64_t threads = std::min(dn_get_num_threads(), n);
  // A prange inside a prange's body runs serially, in its thread.
  if (threads <= 1 || t_in_parallel) {
    *blocks = 1;
    LoopRun* outer = t_run;  // its one block's turn is now: no loop to wait for
    t_run = nullptr;
    int32_t s = body(context, 0, n, 0);
    t_run = outer;
    return s;
  }
  LoopRun run{body, context, n};
  if (g_forked_after_team) {
    std::vector<std::thread> team;
    for (int64_t t = 1; t < threads; ++t) team.emplace_back([&run, t, threads] { run.run_block(t, threads); });
    run.run_block(0, threads);
    for (std::thread& th : team) th.join();
  } else {
    g_team_started = true;
    int64_t team = threads;  // OpenMP may give fewer threads than asked for
#pragma omp parallel num_threads(int(threads))
    {
      int64_t count = omp_get_num_threads();
      if (omp_get_thread_num() == 0) team = count;
      run.run_block(omp_get_thread_num(), count);
    }
    threads = team;
  }
  *blocks = threads;
  int32_t s = run.status.load();
  if (s != 0) dn_runtime::restore_error(run.first_error);
  return s;
}

extern "C" int32_t dn_parallel_wait_turn(int64_t block) {
  LoopRun* run = t_run;
  if (!run) return 0;
  while (run->turn.load(std::memory_order_acquire) != block) {
    if (run->status.load(std::memory_order_relaxed) != 0) return 1;  // a block raised: no turn comes
    std::this_thread::yield();
  }
  return 0;
}

extern "C" void dn_parallel_end_turn(int64_t block) {
  if (LoopRun* run = t_run) run->turn.store(block + 1, std::memory_order_release);
}
