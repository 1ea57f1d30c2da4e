// Pooled host memory (see allocator.h).
#include "core/allocator.h"

#include <cstdlib>
#include <string>

#include "core/error.h"

namespace robusta {

HostPool& HostPool::instance() {
  static HostPool* pool = new HostPool();  // never destroyed: blocks may be released during process exit
  return *pool;
}

size_t HostPool::sizeClass(size_t bytes) {
  if (bytes <= 64) return 64;
  if (bytes <= 4096) return (bytes + 63) & ~size_t(63);
  // four classes per power of two: at most 25% slack, few distinct classes for varied shapes
  size_t p = 4096;
  while (p * 2 < bytes) p *= 2;
  for (size_t q = 1; q <= 4; ++q) {
    size_t c = p + (p / 4) * q;
    if (c >= bytes) return c;
  }
  return p * 2;
}

void* HostPool::allocate(size_t bytes, size_t* capacity) {
  size_t cap = sizeClass(bytes);
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = free_.find(cap);
    if (it != free_.end() && !it->second.empty()) {
      void* p = it->second.back();
      it->second.pop_back();
      stats_.reusedBlocks++;
      stats_.pooledBytes -= cap;
      stats_.liveBytes += cap;
      *capacity = cap;
      return p;
    }
  }
  void* p = std::aligned_alloc(64, cap);
  if (p == nullptr) {
    trim();
    p = std::aligned_alloc(64, cap);
  }
  if (p == nullptr) {
    throw Error("out of host memory: could not allocate " + std::to_string(bytes) + " bytes");
  }
  std::lock_guard<std::mutex> lock(mu_);
  stats_.freshBytes += cap;
  stats_.freshBlocks++;
  stats_.liveBytes += cap;
  *capacity = cap;
  return p;
}

void HostPool::release(void* ptr, size_t capacity) {
  if (ptr == nullptr) return;
  std::lock_guard<std::mutex> lock(mu_);
  free_[capacity].push_back(ptr);
  stats_.liveBytes -= capacity;
  stats_.pooledBytes += capacity;
}

void HostPool::trim() {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [cap, blocks] : free_) {
    for (void* p : blocks) std::free(p);
    stats_.pooledBytes -= cap * blocks.size();
    blocks.clear();
  }
}

PoolStats HostPool::stats() {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

}  // namespace robusta
