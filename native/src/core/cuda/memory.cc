// Pooled device memory (see memory.h); size classes are the host pool's, so both pools round the same way.
#include "core/cuda/memory.h"

#include <string>

#include "core/cuda/runtime.h"
#include "core/error.h"

namespace robusta::cuda {

DevicePool& DevicePool::instance() {
  static DevicePool* pool = new DevicePool();  // never destroyed: blocks may be released during process exit
  return *pool;
}

CUdeviceptr DevicePool::allocate(size_t bytes, size_t* capacity) {
  size_t cap = HostPool::sizeClass(bytes == 0 ? 1 : bytes);
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = free_.find(cap);
    if (it != free_.end() && !it->second.empty()) {
      CUdeviceptr p = it->second.back();
      it->second.pop_back();
      stats_.reusedBlocks++;
      stats_.pooledBytes -= cap;
      stats_.liveBytes += cap;
      *capacity = cap;
      return p;
    }
  }
  Runtime& rt = Runtime::get();
  CUdeviceptr p = 0;
  CUresult r = rt.api().cuMemAlloc(&p, cap);
  if (r == CUDA_ERROR_OUT_OF_MEMORY) {
    trim();
    r = rt.api().cuMemAlloc(&p, cap);
  }
  if (r != CUDA_SUCCESS) {
    size_t freeBytes = 0, totalBytes = 0;
    rt.api().cuMemGetInfo(&freeBytes, &totalBytes);
    throw Error("cuMemAlloc_v2 of " + std::to_string(bytes) + " bytes (size class " + std::to_string(cap) +
                ") failed: " + errorText(r) + "; the device has " + std::to_string(freeBytes) + " of " +
                std::to_string(totalBytes) + " bytes free");
  }
  std::lock_guard<std::mutex> lock(mu_);
  stats_.freshBytes += cap;
  stats_.freshBlocks++;
  stats_.liveBytes += cap;
  *capacity = cap;
  return p;
}

void DevicePool::release(CUdeviceptr ptr, size_t capacity) {
  if (ptr == 0) return;
  // Reuse is safe without waiting: all our work runs on one stream, so a later kernel on this block runs after the
  // earlier ones that used it.
  std::lock_guard<std::mutex> lock(mu_);
  free_[capacity].push_back(ptr);
  stats_.liveBytes -= capacity;
  stats_.pooledBytes += capacity;
}

void DevicePool::trim() {
  std::lock_guard<std::mutex> lock(mu_);
  if (stats_.pooledBytes == 0) return;  // nothing to free, and no device needed to say so
  const DriverApi& api = Runtime::get().api();
  for (auto& [cap, blocks] : free_) {
    for (CUdeviceptr p : blocks) api.cuMemFree(p);
    stats_.pooledBytes -= cap * blocks.size();
    blocks.clear();
  }
}

PoolStats DevicePool::stats() {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

}  // namespace robusta::cuda
