// Pooled device memory, the twin of the host pool: freed blocks are kept by size class and handed out again, because
// cuMemAlloc/cuMemFree synchronize the device and cost far more than a kernel.
#pragma once
#include <cstddef>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/allocator.h"
#include "core/cuda/driver.h"

namespace robusta::cuda {

class DevicePool {
 public:
  static DevicePool& instance();
  /** A block of at least `bytes` (256-byte aligned); on out-of-memory it trims the pool once, then throws Error
   *  naming the bytes asked and what the device has free. */
  CUdeviceptr allocate(size_t bytes, size_t* capacity);
  void release(CUdeviceptr ptr, size_t capacity);
  /** Returns pooled (free) blocks to the driver. */
  void trim();
  PoolStats stats();

 private:
  std::mutex mu_;
  std::unordered_map<size_t, std::vector<CUdeviceptr>> free_;
  PoolStats stats_;
};

/** An owned device block (move-only) that goes back to the pool when destroyed. */
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  explicit DeviceBuffer(size_t bytes) : bytes_(bytes) { ptr_ = DevicePool::instance().allocate(bytes, &capacity_); }
  DeviceBuffer(DeviceBuffer&& o) noexcept { *this = std::move(o); }
  DeviceBuffer& operator=(DeviceBuffer&& o) noexcept {
    reset();
    std::swap(ptr_, o.ptr_);
    std::swap(bytes_, o.bytes_);
    std::swap(capacity_, o.capacity_);
    return *this;
  }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  ~DeviceBuffer() { reset(); }

  void reset() {
    if (ptr_ != 0) DevicePool::instance().release(ptr_, capacity_);
    ptr_ = 0;
    bytes_ = capacity_ = 0;
  }
  CUdeviceptr ptr() const { return ptr_; }
  size_t bytes() const { return bytes_; }

 private:
  CUdeviceptr ptr_ = 0;
  size_t bytes_ = 0;
  size_t capacity_ = 0;
};

}  // namespace robusta::cuda
