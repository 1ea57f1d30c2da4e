// Reports what this build and machine offer: CPU ISA level, thread count, OpenBLAS, CUDA (announced, never guessed).
#include <napi.h>

#include "binding/registry.h"
#include "core/cpu/isa.h"
#include "core/cpu/openblas.h"
#include "core/cuda/runtime.h"
#include "core/thread_pool.h"

namespace robusta::binding {

namespace {

Napi::Value capabilities(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  o.Set("isa", cpu::isaLevel());
  o.Set("threads", ThreadPool::instance().size());
  // loaded at run time: the library's path and version, or why not (not installed, ROBUSTA_OPENBLAS=off)
  const cpu::openblas::Status& blas = cpu::openblas::status();
  o.Set("openblas", blas.available);
  o.Set("openblasDetail", blas.detail);
#ifdef ROBUSTA_HAVE_CUDA_FATBIN
  o.Set("cudaKernels", true);
#else
  o.Set("cudaKernels", false);
#endif
  // the device, or the reason there is none (no driver, no GPU, CUDA disabled)
  const cuda::DeviceStatus& st = cuda::status();
  o.Set("cuda", st.available ? st.name : "unavailable: " + st.reason);
  return o;
}

}  // namespace

namespace {

void registerCapabilities(Napi::Env env, Napi::Object exports) {
  exports.Set("capabilities", Napi::Function::New(env, capabilities, "capabilities"));
}

}  // namespace

ROBUSTA_BINDING(registerCapabilities);

}  // namespace robusta::binding
