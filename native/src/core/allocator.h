// Pooled host memory: freed blocks are kept by size class and handed out again, so a training step that repeats
// the same shapes allocates nothing new after its first steps (first touch of fresh pages costs ~5-8 ms per MB here).
#pragma once
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace robusta {

struct PoolStats {
  uint64_t freshBytes = 0;   // bytes ever obtained from the system
  uint64_t freshBlocks = 0;  // blocks ever obtained from the system
  uint64_t reusedBlocks = 0; // allocations served from the pool
  uint64_t liveBytes = 0;    // capacity of blocks currently handed out
  uint64_t pooledBytes = 0;  // capacity of free blocks kept for reuse
};

class HostPool {
 public:
  static HostPool& instance();
  /** A block of at least `bytes` (64-byte aligned); throws Error naming the size when memory runs out. */
  void* allocate(size_t bytes, size_t* capacity);
  void release(void* ptr, size_t capacity);
  /** Returns pooled (free) blocks to the system. */
  void trim();
  PoolStats stats();
  /** The capacity a request of `bytes` is rounded up to (its size class). */
  static size_t sizeClass(size_t bytes);

 private:
  std::mutex mu_;
  std::unordered_map<size_t, std::vector<void*>> free_;
  PoolStats stats_;
};

}  // namespace robusta
