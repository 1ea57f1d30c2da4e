// The addon's entry point: the only N-API module init; it runs every binding file's registrar (registry.h).
#include <napi.h>

#include "binding/registry.h"

namespace robusta::binding {

std::vector<Registrar>& registrars() {
  static std::vector<Registrar> list;
  return list;
}

Napi::Object init(Napi::Env env, Napi::Object exports) {
  for (Registrar r : registrars()) r(env, exports);
  return exports;
}

}  // namespace robusta::binding

static Napi::Object Init(Napi::Env env, Napi::Object exports) { return robusta::binding::init(env, exports); }

NODE_API_MODULE(robusta_native, Init)
