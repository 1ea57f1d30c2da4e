// Device probing, context, module and stream (see runtime.h); the module is our fatbin embedded at build time.
#include "core/cuda/runtime.h"

#include <cstdlib>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/error.h"

#ifdef ROBUSTA_HAVE_CUDA_FATBIN
extern "C" const unsigned char robusta_kernels_fatbin[];
extern "C" const size_t robusta_kernels_fatbin_size;
#endif

namespace robusta::cuda {

namespace {

struct State {
  DeviceStatus status;
  Runtime* runtime = nullptr;
};

void probe(State& s) {
  DeviceStatus& st = s.status;
#ifndef ROBUSTA_HAVE_CUDA_FATBIN
  st.reason = "this build has no CUDA kernels (nvcc was not found when the addon was built)";
  return;
#else
  const DriverApi& api = driver();  // throws with the loader's reason
  check(api.cuInit(0), "cuInit");
  check(api.cuDriverGetVersion(&st.driverVersion), "cuDriverGetVersion");
  int count = 0;
  check(api.cuDeviceGetCount(&count), "cuDeviceGetCount");
  if (count == 0) throw Error("the CUDA driver found no device");
  const char* env = std::getenv("ROBUSTA_CUDA_DEVICE");
  st.ordinal = env ? std::atoi(env) : 0;
  if (st.ordinal < 0 || st.ordinal >= count) {
    throw Error("ROBUSTA_CUDA_DEVICE=" + std::string(env) + " but the driver found " + std::to_string(count) +
                " device(s)");
  }
  CUdevice dev = 0;
  check(api.cuDeviceGet(&dev, st.ordinal), "cuDeviceGet");
  char name[256] = {0};
  check(api.cuDeviceGetName(name, sizeof(name) - 1, dev), "cuDeviceGetName");
  st.name = name;
  check(api.cuDeviceGetAttribute(&st.ccMajor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev),
        "cuDeviceGetAttribute(compute capability major)");
  check(api.cuDeviceGetAttribute(&st.ccMinor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev),
        "cuDeviceGetAttribute(compute capability minor)");
  check(api.cuDeviceGetAttribute(&st.multiprocessors, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, dev),
        "cuDeviceGetAttribute(multiprocessor count)");
  check(api.cuDeviceTotalMem(&st.totalBytes, dev), "cuDeviceTotalMem_v2");
  if (st.ccMajor < 8) {
    throw Error("CUDA device " + st.name + " has compute capability " + std::to_string(st.ccMajor) + "." +
                std::to_string(st.ccMinor) + "; our kernels are built for 8.0 and newer");
  }
  // The primary context is the one the CUDA runtime (and cuBLASLt) use too, so pointers are shared with them.
  CUcontext ctx = nullptr;
  check(api.cuDevicePrimaryCtxRetain(&ctx, dev), "cuDevicePrimaryCtxRetain");
  check(api.cuCtxSetCurrent(ctx), "cuCtxSetCurrent");
  CUmodule module = nullptr;
  check(api.cuModuleLoadData(&module, robusta_kernels_fatbin), "cuModuleLoadData(embedded kernels)");
  CUstream stream = nullptr;
  check(api.cuStreamCreate(&stream, 0), "cuStreamCreate");  // blocking: ordered with the synchronous copies
  s.runtime = new Runtime(api, ctx, module, stream);
  st.available = true;
#endif
}

State& state() {
  static State* s = [] {
    auto* st = new State();  // never destroyed: device memory may be released during exit
    try {
      probe(*st);
    } catch (const std::exception& e) {
      st->status.available = false;
      st->status.reason = e.what();
    }
    return st;
  }();
  return *s;
}

}  // namespace

const DeviceStatus& status() { return state().status; }

Runtime& Runtime::get() {
  State& s = state();
  if (s.runtime == nullptr) throw Error("CUDA is unavailable: " + s.status.reason);
  s.runtime->makeCurrent();
  return *s.runtime;
}

void Runtime::makeCurrent() {
  // The current context is per thread; a worker thread calling in for the first time needs it set.
  thread_local CUcontext current = nullptr;
  if (current != ctx_) {
    check(api_.cuCtxSetCurrent(ctx_), "cuCtxSetCurrent");
    current = ctx_;
  }
}

CUfunction Runtime::function(const char* name) {
  static std::mutex mu;
  static std::unordered_map<std::string, CUfunction> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(name);
  if (it != cache.end()) return it->second;
  CUfunction fn = nullptr;
  check(api_.cuModuleGetFunction(&fn, module_, name), (std::string("cuModuleGetFunction(") + name + ")").c_str());
  cache.emplace(name, fn);
  return fn;
}

void Runtime::launch(const char* kernel, Dim3 grid, Dim3 block, unsigned sharedBytes, void** args) {
  CUfunction fn = function(kernel);
  CUresult r = api_.cuLaunchKernel(fn, grid.x, grid.y, grid.z, block.x, block.y, block.z, sharedBytes, stream_, args,
                                   nullptr);
  if (r != CUDA_SUCCESS) {
    throw Error(std::string("cuLaunchKernel(") + kernel + ", grid " + std::to_string(grid.x) + "x" +
                std::to_string(grid.y) + ", block " + std::to_string(block.x) + ") failed: " + errorText(r));
  }
}

void Runtime::synchronize() { check(api_.cuStreamSynchronize(stream_), "cuStreamSynchronize"); }

void Runtime::upload(CUdeviceptr dst, const void* src, size_t bytes) {
  if (bytes) check(api_.cuMemcpyHtoD(dst, src, bytes), "cuMemcpyHtoD_v2");
}

void Runtime::download(void* dst, CUdeviceptr src, size_t bytes) {
  if (bytes) check(api_.cuMemcpyDtoH(dst, src, bytes), "cuMemcpyDtoH_v2");
}

// Device-side copies and fills go on our stream: the synchronous driver calls would run on the legacy stream, which
// our stream's synchronize does not wait for (a device-to-device copy returns before it is done).
void Runtime::copy(CUdeviceptr dst, CUdeviceptr src, size_t bytes) {
  if (bytes) check(api_.cuMemcpyDtoDAsync(dst, src, bytes, stream_), "cuMemcpyDtoDAsync_v2");
}

void Runtime::fill(CUdeviceptr dst, unsigned char byte, size_t bytes) {
  if (bytes) check(api_.cuMemsetD8Async(dst, byte, bytes, stream_), "cuMemsetD8Async");
}

}  // namespace robusta::cuda
