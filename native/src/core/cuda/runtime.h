// The CUDA device as the core sees it: one device, its primary context, our kernel module and one stream.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/cuda/driver.h"

namespace robusta::cuda {

/** What was found at first use (announced, never guessed); `reason` says what is missing when unavailable. */
struct DeviceStatus {
  bool available = false;
  std::string reason;
  std::string name;
  int ordinal = 0;
  int ccMajor = 0;
  int ccMinor = 0;
  int driverVersion = 0;  // e.g. 13000 for CUDA 13.0
  int multiprocessors = 0;
  size_t totalBytes = 0;
};

/** Probes the driver and device once (ROBUSTA_CUDA_DEVICE picks the ordinal, default 0); never throws. */
const DeviceStatus& status();

struct Dim3 {
  unsigned x = 1, y = 1, z = 1;
};

/** The live device; every entry point makes its context current on the calling thread first. */
class Runtime {
 public:
  /** The runtime, initialized on first call; throws Error with status().reason when CUDA is unavailable. */
  static Runtime& get();

  const DriverApi& api() const { return api_; }
  CUstream stream() const { return stream_; }

  /** Launches a kernel of the embedded module by its extern "C" name on our stream; args point at each parameter. */
  void launch(const char* kernel, Dim3 grid, Dim3 block, unsigned sharedBytes, void** args);
  /** Waits for all work on our stream; surfaces asynchronous kernel errors as Error. */
  void synchronize();

  /** Synchronous host copies from/to pageable memory (ordered after our stream's earlier work: it is blocking). */
  void upload(CUdeviceptr dst, const void* src, size_t bytes);
  void download(void* dst, CUdeviceptr src, size_t bytes);
  /** Queued on our stream, like kernels. */
  void copy(CUdeviceptr dst, CUdeviceptr src, size_t bytes);
  void fill(CUdeviceptr dst, unsigned char byte, size_t bytes);

  Runtime(const DriverApi& api, CUcontext ctx, CUmodule module, CUstream stream)
      : api_(api), ctx_(ctx), module_(module), stream_(stream) {}

 private:
  void makeCurrent();
  CUfunction function(const char* name);

  const DriverApi& api_;
  CUcontext ctx_;
  CUmodule module_;
  CUstream stream_;
};

}  // namespace robusta::cuda
