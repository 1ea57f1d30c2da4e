// The worker pool's parallel loops: every index exactly once, no finer split than the grain allows, small loops
// inline, back-to-back and concurrent loops, and work that actually reaches the workers.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "core/tests/harness.h"
#include "core/thread_pool.h"

namespace {

using robusta::ThreadPool;
using robusta::test::fail;

ROBUSTA_TEST(thread_pool, has_the_configured_size) {
  EXPECT(ThreadPool::instance().size() == robusta::configuredThreads(), "pool of ", ThreadPool::instance().size());
  EXPECT(ThreadPool::instance().size() >= 1);
}

ROBUSTA_TEST(thread_pool, covers_every_index_once_in_at_most_n_over_grain_chunks) {
  ThreadPool& pool = ThreadPool::instance();
  const int64_t cases[][2] = {{1, 1}, {7, 1}, {1000, 1}, {1000, 7}, {10, 6}, {100000, 64}, {5, 100}, {33, 0}};
  for (const auto& c : cases) {
    const int64_t n = c[0], grain = c[1];
    std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
    std::atomic<int64_t> chunks{0};
    std::atomic<bool> badRange{false};
    pool.parallelFor(n, grain, [&](int64_t begin, int64_t end) {
      if (!(0 <= begin && begin < end && end <= n)) badRange = true;
      ++chunks;
      for (int64_t i = begin; i < std::min(end, n); ++i) hits[size_t(i)]++;
    });
    if (badRange) fail("n = ", n, ", grain = ", grain, ": a chunk outside [0, n) or empty");
    for (int64_t i = 0; i < n; ++i)
      if (hits[size_t(i)] != 1)
        fail("n = ", n, ", grain = ", grain, ": index ", i, " ran ", hits[size_t(i)].load(), " times");
    const int64_t g = std::max<int64_t>(grain, 1);
    if (chunks > (n + g - 1) / g)
      fail("n = ", n, ", grain = ", grain, ": ", chunks.load(), " chunks, finer than the grain");
  }
  int calls = 0;
  pool.parallelFor(0, 1, [&](int64_t, int64_t) { ++calls; });
  pool.parallelFor(-3, 1, [&](int64_t, int64_t) { ++calls; });
  EXPECT(calls == 0, "an empty loop ran its body");
}

ROBUSTA_TEST(thread_pool, a_loop_no_larger_than_its_grain_runs_inline_in_one_call) {
  const std::thread::id caller = std::this_thread::get_id();
  int calls = 0;
  bool onCaller = false;
  ThreadPool::instance().parallelFor(50, 50, [&](int64_t b, int64_t e) {
    ++calls;
    onCaller = std::this_thread::get_id() == caller && b == 0 && e == 50;
  });
  EXPECT(calls == 1 && onCaller);
}

ROBUSTA_TEST(thread_pool, back_to_back_loops_each_see_their_own_job) {
  ThreadPool& pool = ThreadPool::instance();
  const int64_t n = pool.size() * 3;
  for (int round = 0; round < 5000; ++round) {
    std::atomic<int64_t> sum{0};
    pool.parallelFor(n, 1, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) sum += i + round;
    });
    const int64_t want = n * (n - 1) / 2 + n * round;
    if (sum != want) fail("round ", round, ": sum ", sum.load(), ", expected ", want);
  }
}

ROBUSTA_TEST(thread_pool, loops_started_from_two_threads_at_once_both_complete_correctly) {
  ThreadPool& pool = ThreadPool::instance();
  std::atomic<int> wrong{0};
  auto caller = [&](int64_t offset) {
    for (int round = 0; round < 300; ++round) {
      std::atomic<int64_t> sum{0};
      pool.parallelFor(4096, 16, [&](int64_t b, int64_t e) {
        for (int64_t i = b; i < e; ++i) sum += i + offset;
      });
      if (sum != 4096 * 4095 / 2 + 4096 * offset) ++wrong;
    }
  };
  std::thread a(caller, 1), b(caller, 1000);
  a.join();
  b.join();
  EXPECT(wrong == 0, wrong.load(), " loops summed wrongly");
}

ROBUSTA_TEST(thread_pool, work_reaches_the_workers) {
  ThreadPool& pool = ThreadPool::instance();
  if (pool.size() < 2) throw robusta::test::Skip{"the pool has one thread (ROBUSTA_NUM_THREADS=1 or one core)"};
  std::mutex mu;
  std::set<std::thread::id> seen;
  // each chunk sleeps, so the caller alone cannot drain the loop before a woken worker takes a chunk
  pool.parallelFor(pool.size() * 4, 1, [&](int64_t, int64_t) {
    {
      std::lock_guard<std::mutex> lock(mu);
      seen.insert(std::this_thread::get_id());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  });
  EXPECT(seen.size() >= 2, "every chunk ran on ", seen.size(), " thread(s) of a pool of ", pool.size());
}

}  // namespace
