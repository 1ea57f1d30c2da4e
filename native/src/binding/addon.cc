// The addon's entry point: the only N-API module init; every binding file adds its functions here.
#include <napi.h>

#include "binding/exports.h"

namespace robusta::binding {

Napi::Object init(Napi::Env env, Napi::Object exports) {
  registerMemory(env, exports);
  registerElementwise(env, exports);
  registerCapabilities(env, exports);
  return exports;
}

}  // namespace robusta::binding

static Napi::Object Init(Napi::Env env, Napi::Object exports) { return robusta::binding::init(env, exports); }

NODE_API_MODULE(robusta_native, Init)
