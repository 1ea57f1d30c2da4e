// A fixed pool of worker threads running parallel loops (see thread_pool.h).
#include "core/thread_pool.h"

#include <algorithm>
#include <cstdlib>

namespace robusta {

int configuredThreads() {
  if (const char* env = std::getenv("ROBUSTA_NUM_THREADS")) {
    int n = std::atoi(env);
    if (n >= 1) return n;
  }
  unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(hw);
}

ThreadPool& ThreadPool::instance() {
  static ThreadPool* pool = new ThreadPool(configuredThreads());  // lives until exit; threads are detached then
  return *pool;
}

ThreadPool::ThreadPool(int threads) {
  for (int i = 1; i < threads; ++i) workers_.emplace_back([this] { workerLoop(); });
  for (auto& w : workers_) w.detach();
}

ThreadPool::~ThreadPool() {
  std::lock_guard<std::mutex> lock(mu_);
  stop_ = true;
  wake_.notify_all();
}

void ThreadPool::runChunks() {
  for (;;) {
    int64_t start = next_.fetch_add(chunk_);
    if (start >= n_) return;
    (*job_)(start, std::min(n_, start + chunk_));
  }
}

void ThreadPool::workerLoop() {
  uint64_t seen = 0;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
      ++active_;
    }
    runChunks();
    std::lock_guard<std::mutex> lock(mu_);
    if (--active_ == 0) done_.notify_all();
  }
}

void ThreadPool::parallelFor(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn) {
  if (n <= 0) return;
  grain = std::max<int64_t>(grain, 1);
  if (workers_.empty() || n <= grain) {
    fn(0, n);
    return;
  }
  std::lock_guard<std::mutex> call(callMu_);
  int threads = size();
  int64_t chunks = std::min<int64_t>((n + grain - 1) / grain, int64_t(threads) * 4);
  {
    std::lock_guard<std::mutex> lock(mu_);
    job_ = &fn;
    n_ = n;
    chunk_ = (n + chunks - 1) / chunks;
    next_.store(0);
    ++generation_;
  }
  wake_.notify_all();
  runChunks();
  std::unique_lock<std::mutex> lock(mu_);
  done_.wait(lock, [&] { return active_ == 0 && next_.load() >= n_; });
  job_ = nullptr;
}

}  // namespace robusta
