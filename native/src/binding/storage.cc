// `Storage` handles (see storage.h): memory comes from the core's pooled allocator.
#include "binding/storage.h"

#include "core/allocator.h"
#include "core/error.h"

namespace robusta::binding {

namespace {
Napi::FunctionReference* constructor = nullptr;
}

Napi::Function Storage::define(Napi::Env env) {
  Napi::Function f = DefineClass(env, "Storage",
                                 {InstanceMethod("free", &Storage::free), InstanceAccessor("bytes", &Storage::getBytes, nullptr),
                                  InstanceAccessor("freed", &Storage::getFreed, nullptr)});
  constructor = new Napi::FunctionReference(Napi::Persistent(f));
  return f;
}

Napi::Object Storage::create(Napi::Env env, size_t bytes) {
  return constructor->New({Napi::Number::New(env, static_cast<double>(bytes))});
}

Storage::Storage(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Storage>(info) {
  if (info.Length() < 1 || !info[0].IsNumber()) throw Napi::TypeError::New(info.Env(), "Storage(bytes): bytes must be a number");
  double want = info[0].As<Napi::Number>().DoubleValue();
  if (!(want >= 0) || want > 9.0e15) throw Napi::RangeError::New(info.Env(), "Storage: invalid byte count");
  bytes_ = static_cast<size_t>(want);
  try {
    ptr_ = HostPool::instance().allocate(bytes_ == 0 ? 1 : bytes_, &capacity_);
  } catch (const Error& e) {
    throw Napi::Error::New(info.Env(), e.what());
  }
}

Storage::~Storage() { release(); }

void Storage::release() {
  if (!freed_) {
    HostPool::instance().release(ptr_, capacity_);
    ptr_ = nullptr;
    freed_ = true;
  }
}

Napi::Value Storage::free(const Napi::CallbackInfo& info) {
  release();
  return info.Env().Undefined();
}

Napi::Value Storage::getBytes(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), double(bytes_)); }

Napi::Value Storage::getFreed(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), freed_); }

Storage& Storage::from(const Napi::CallbackInfo& info, size_t i, const char* what) {
  Napi::Env env = info.Env();
  if (i >= info.Length() || !info[i].IsObject() || !info[i].As<Napi::Object>().InstanceOf(constructor->Value())) {
    throw Napi::TypeError::New(env, std::string(what) + ": expected a Storage handle");
  }
  Storage* s = Unwrap(info[i].As<Napi::Object>());
  if (s->freed_) throw Napi::Error::New(env, std::string(what) + ": tensor memory used after it was disposed");
  return *s;
}

}  // namespace robusta::binding
