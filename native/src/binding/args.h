// Argument helpers for binding functions: numbers, shapes and dtypes with errors that name the argument.
#pragma once
#include <napi.h>

#include <string>

#include "core/dtype.h"
#include "core/shape.h"

namespace robusta::binding {

inline double number(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (i >= info.Length() || !info[i].IsNumber()) throw Napi::TypeError::New(info.Env(), std::string(what) + " must be a number");
  return info[i].As<Napi::Number>().DoubleValue();
}

inline int64_t integer(const Napi::CallbackInfo& info, size_t i, const char* what) {
  return static_cast<int64_t>(number(info, i, what));
}

inline DType dtype(const Napi::CallbackInfo& info, size_t i, const char* what) {
  int64_t t = integer(info, i, what);
  if (t < 0 || t > 2) throw Napi::RangeError::New(info.Env(), std::string(what) + ": unknown dtype code " + std::to_string(t));
  return static_cast<DType>(t);
}

inline Shape shape(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (i >= info.Length() || !info[i].IsArray()) throw Napi::TypeError::New(info.Env(), std::string(what) + " must be an array of dimensions");
  Napi::Array a = info[i].As<Napi::Array>();
  Shape s(a.Length());
  for (uint32_t k = 0; k < a.Length(); ++k) {
    Napi::Value v = a.Get(k);
    if (!v.IsNumber()) throw Napi::TypeError::New(info.Env(), std::string(what) + ": dimension " + std::to_string(k) + " is not a number");
    double d = v.As<Napi::Number>().DoubleValue();
    if (!(d >= 0)) throw Napi::RangeError::New(info.Env(), std::string(what) + ": negative dimension");
    s[k] = static_cast<int64_t>(d);
  }
  return s;
}

/** Runs f, turning core errors into JS errors. */
template <typename F>
auto guarded(Napi::Env env, F f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, e.what());
  }
}

}  // namespace robusta::binding

namespace robusta::binding {

/** Throws unless the storage holds at least `bytes` (a shape/dtype mismatch reaching the kernel). */
inline void need(const Napi::CallbackInfo& info, size_t storageBytes, int64_t bytes, const char* what) {
  if (bytes < 0 || static_cast<size_t>(bytes) > storageBytes) {
    throw Napi::RangeError::New(info.Env(), std::string(what) + ": needs " + std::to_string(bytes) +
                                                " bytes but the tensor's storage holds " + std::to_string(storageBytes));
  }
}

}  // namespace robusta::binding
