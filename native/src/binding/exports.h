// Each binding file registers its functions on the addon's exports; addon.cc calls them all.
#pragma once
#include <napi.h>

namespace robusta::binding {

void registerMemory(Napi::Env env, Napi::Object exports);
void registerElementwise(Napi::Env env, Napi::Object exports);
void registerCapabilities(Napi::Env env, Napi::Object exports);

}  // namespace robusta::binding
