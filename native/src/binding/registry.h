// Self-registration of binding files: each file adds its functions with ROBUSTA_BINDING(fn), so adding a kernel
// family never edits a shared list; addon.cc runs every registrar at module init.
#pragma once
#include <napi.h>

#include <vector>

namespace robusta::binding {

using Registrar = void (*)(Napi::Env, Napi::Object);

std::vector<Registrar>& registrars();

inline int addRegistrar(Registrar r) {
  registrars().push_back(r);
  return 0;
}

}  // namespace robusta::binding

#define ROBUSTA_BINDING_CAT2(a, b) a##b
#define ROBUSTA_BINDING_CAT(a, b) ROBUSTA_BINDING_CAT2(a, b)
/** Registers `fn(env, exports)` to run when the addon loads. */
#define ROBUSTA_BINDING(fn) \
  static const int ROBUSTA_BINDING_CAT(robustaBinding_, __LINE__) = ::robusta::binding::addRegistrar(fn)
