// Loads libcuda.so.1 with dlopen and resolves the entry points of driver.h; every failure is an Error, never an abort.
#include "core/cuda/driver.h"

#include <dlfcn.h>

#include <cstdlib>
#include <cstring>

#include "core/error.h"

namespace robusta::cuda {

namespace {

struct Loaded {
  DriverApi api{};
  std::string error;  // empty when every symbol was found
};

template <typename Fn>
bool bind(void* lib, const char* symbol, Fn& slot, std::string& error) {
  slot = reinterpret_cast<Fn>(dlsym(lib, symbol));
  if (slot == nullptr && error.empty()) {
    error = std::string("the CUDA driver library libcuda.so.1 lacks the symbol ") + symbol + " (driver too old?)";
  }
  return slot != nullptr;
}

Loaded load() {
  Loaded out;
  const char* env = std::getenv("ROBUSTA_CUDA");
  if (env != nullptr && std::strcmp(env, "0") == 0) {
    out.error = "CUDA disabled by ROBUSTA_CUDA=0";
    return out;
  }
  // RTLD_LOCAL: our symbols never clash with a libcuda another addon in the process may have loaded.
  void* lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    const char* why = dlerror();
    out.error = std::string("no CUDA driver: libcuda.so.1 could not be loaded (") + (why ? why : "not found") + ")";
    return out;
  }
  DriverApi& a = out.api;
  std::string& e = out.error;
  bind(lib, "cuInit", a.cuInit, e);
  bind(lib, "cuDriverGetVersion", a.cuDriverGetVersion, e);
  bind(lib, "cuDeviceGetCount", a.cuDeviceGetCount, e);
  bind(lib, "cuDeviceGet", a.cuDeviceGet, e);
  bind(lib, "cuDeviceGetName", a.cuDeviceGetName, e);
  bind(lib, "cuDeviceGetAttribute", a.cuDeviceGetAttribute, e);
  bind(lib, "cuDeviceTotalMem_v2", a.cuDeviceTotalMem, e);
  bind(lib, "cuDevicePrimaryCtxRetain", a.cuDevicePrimaryCtxRetain, e);
  bind(lib, "cuCtxSetCurrent", a.cuCtxSetCurrent, e);
  bind(lib, "cuModuleLoadData", a.cuModuleLoadData, e);
  bind(lib, "cuModuleGetFunction", a.cuModuleGetFunction, e);
  bind(lib, "cuLaunchKernel", a.cuLaunchKernel, e);
  bind(lib, "cuMemAlloc_v2", a.cuMemAlloc, e);
  bind(lib, "cuMemFree_v2", a.cuMemFree, e);
  bind(lib, "cuMemGetInfo_v2", a.cuMemGetInfo, e);
  bind(lib, "cuMemcpyHtoD_v2", a.cuMemcpyHtoD, e);
  bind(lib, "cuMemcpyDtoH_v2", a.cuMemcpyDtoH, e);
  bind(lib, "cuMemcpyDtoDAsync_v2", a.cuMemcpyDtoDAsync, e);
  bind(lib, "cuMemsetD8Async", a.cuMemsetD8Async, e);
  bind(lib, "cuStreamCreate", a.cuStreamCreate, e);
  bind(lib, "cuStreamSynchronize", a.cuStreamSynchronize, e);
  bind(lib, "cuGetErrorName", a.cuGetErrorName, e);
  bind(lib, "cuGetErrorString", a.cuGetErrorString, e);
  return out;  // the library stays open for the life of the process: kernels and pointers depend on it
}

const Loaded& loaded() {
  static const Loaded* l = new Loaded(load());  // never destroyed: device memory may be released during exit
  return *l;
}

}  // namespace

const DriverApi& driver() {
  const Loaded& l = loaded();
  if (!l.error.empty()) throw Error(l.error);
  return l.api;
}

std::string errorText(CUresult r) {
  const Loaded& l = loaded();
  const char* name = nullptr;
  const char* text = nullptr;
  if (l.error.empty()) {
    l.api.cuGetErrorName(r, &name);
    l.api.cuGetErrorString(r, &text);
  }
  std::string out = name ? name : "CUDA error " + std::to_string(r);
  if (text) out += std::string(" (") + text + ")";
  return out;
}

void check(CUresult r, const char* call) {
  if (r != CUDA_SUCCESS) throw Error(std::string(call) + " failed: " + errorText(r));
}

}  // namespace robusta::cuda
