// A fixed pool of worker threads (sized to the cores, or ROBUSTA_NUM_THREADS) running parallel loops.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace robusta {

class ThreadPool {
 public:
  static ThreadPool& instance();
  int size() const { return static_cast<int>(workers_.size()) + 1; }
  /**
   * Runs fn(begin, end) over [0, n) in chunks of at least `grain` items, on the pool and the calling thread;
   * returns when all chunks are done. Small loops run inline.
   */
  void parallelFor(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn);
  ~ThreadPool();

 private:
  explicit ThreadPool(int threads);
  void workerLoop();
  void runChunks();

  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::condition_variable done_;
  const std::function<void(int64_t, int64_t)>* job_ = nullptr;
  int64_t n_ = 0, chunk_ = 0;
  std::atomic<int64_t> next_{0};
  int active_ = 0;
  uint64_t generation_ = 0;
  bool stop_ = false;
  std::mutex callMu_;  // one parallel loop at a time
};

/** Threads the pool uses: ROBUSTA_NUM_THREADS if set, else the hardware's. */
int configuredThreads();

}  // namespace robusta
