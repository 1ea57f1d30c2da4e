// `CudaBuffer`, the JS handle of one pooled device block, and typed-array helpers shared by the CUDA binding files.
#pragma once
#include <napi.h>

#include <cstdint>
#include <string>

#include "binding/args.h"
#include "core/cuda/memory.h"

namespace robusta::binding {

/** `CudaBuffer`: the JS handle of one pooled device block; freed explicitly (or when collected). */
class CudaBuffer : public Napi::ObjectWrap<CudaBuffer> {
 public:
  static inline Napi::FunctionReference* constructor = nullptr;

  static Napi::Function define(Napi::Env env) {
    Napi::Function f = DefineClass(env, "CudaBuffer",
                                   {InstanceMethod("free", &CudaBuffer::free),
                                    InstanceAccessor("bytes", &CudaBuffer::getBytes, nullptr),
                                    InstanceAccessor("freed", &CudaBuffer::getFreed, nullptr)});
    constructor = new Napi::FunctionReference(Napi::Persistent(f));
    return f;
  }

  static CudaBuffer& from(const Napi::CallbackInfo& info, size_t i, const char* what) {
    Napi::Env env = info.Env();
    if (i >= info.Length() || !info[i].IsObject() || !info[i].As<Napi::Object>().InstanceOf(constructor->Value())) {
      throw Napi::TypeError::New(env, std::string(what) + ": expected a CudaBuffer");
    }
    CudaBuffer* b = Unwrap(info[i].As<Napi::Object>());
    if (b->freed_) throw Napi::Error::New(env, std::string(what) + ": device memory used after it was freed");
    return *b;
  }

  explicit CudaBuffer(const Napi::CallbackInfo& info) : Napi::ObjectWrap<CudaBuffer>(info) {
    double want = number(info, 0, "CudaBuffer(bytes)");
    if (!(want >= 0) || want > 9.0e15) throw Napi::RangeError::New(info.Env(), "CudaBuffer: invalid byte count");
    bytes_ = static_cast<size_t>(want);
    guarded(info.Env(), [&] { buf_ = cuda::DeviceBuffer(bytes_ == 0 ? 1 : bytes_); });
  }

  cuda::CUdeviceptr ptr() const { return buf_.ptr(); }
  size_t bytes() const { return bytes_; }

 private:
  Napi::Value free(const Napi::CallbackInfo& info) {
    buf_.reset();
    freed_ = true;
    return info.Env().Undefined();
  }
  Napi::Value getBytes(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), double(bytes_)); }
  Napi::Value getFreed(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), freed_); }

  cuda::DeviceBuffer buf_;
  size_t bytes_ = 0;
  bool freed_ = false;
};

inline Napi::TypedArray typedArray(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (i >= info.Length() || !info[i].IsTypedArray()) {
    throw Napi::TypeError::New(info.Env(), std::string(what) + ": expected a typed array");
  }
  return info[i].As<Napi::TypedArray>();
}

inline uint8_t* bytesOf(Napi::TypedArray a) { return static_cast<uint8_t*>(a.ArrayBuffer().Data()) + a.ByteOffset(); }

}  // namespace robusta::binding
