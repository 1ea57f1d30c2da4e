// `Storage`: the JS handle of one block of addon-owned tensor memory; freed explicitly (tfjs disposeData).
#pragma once
#include <napi.h>

#include <cstddef>

namespace robusta::binding {

class Storage : public Napi::ObjectWrap<Storage> {
 public:
  static Napi::Function define(Napi::Env env);
  static Napi::Object create(Napi::Env env, size_t bytes);
  /** The storage object passed as argument i; throws a JS TypeError/Error on a wrong type or a freed block. */
  static Storage& from(const Napi::CallbackInfo& info, size_t i, const char* what);

  explicit Storage(const Napi::CallbackInfo& info);
  ~Storage() override;

  void* data() const { return ptr_; }
  size_t bytes() const { return bytes_; }

 private:
  Napi::Value free(const Napi::CallbackInfo& info);
  Napi::Value getBytes(const Napi::CallbackInfo& info);
  Napi::Value getFreed(const Napi::CallbackInfo& info);
  void release();

  void* ptr_ = nullptr;
  size_t bytes_ = 0;
  size_t capacity_ = 0;
  bool freed_ = false;
};

}  // namespace robusta::binding
