// Binding functions for tensor memory: allocate, copy in and out of JS typed arrays, pool statistics.
#include <napi.h>

#include <cstring>

#include "binding/args.h"
#include "binding/registry.h"
#include "binding/storage.h"
#include "core/allocator.h"

namespace robusta::binding {

namespace {

Napi::Value alloc(const Napi::CallbackInfo& info) {
  double bytes = number(info, 0, "alloc(bytes)");
  return Storage::create(info.Env(), static_cast<size_t>(bytes));
}

/** write(storage, typedArray): copies the array's bytes to the start of the storage. */
Napi::Value write(const Napi::CallbackInfo& info) {
  Storage& s = Storage::from(info, 0, "write");
  if (!info[1].IsTypedArray()) throw Napi::TypeError::New(info.Env(), "write: expected a typed array");
  Napi::TypedArray a = info[1].As<Napi::TypedArray>();
  need(info, s.bytes(), a.ByteLength(), "write");
  std::memcpy(s.data(), static_cast<uint8_t*>(a.ArrayBuffer().Data()) + a.ByteOffset(), a.ByteLength());
  return info.Env().Undefined();
}

/** read(storage, typedArray): fills the array from the start of the storage. */
Napi::Value read(const Napi::CallbackInfo& info) {
  Storage& s = Storage::from(info, 0, "read");
  if (!info[1].IsTypedArray()) throw Napi::TypeError::New(info.Env(), "read: expected a typed array");
  Napi::TypedArray a = info[1].As<Napi::TypedArray>();
  need(info, s.bytes(), a.ByteLength(), "read");
  std::memcpy(static_cast<uint8_t*>(a.ArrayBuffer().Data()) + a.ByteOffset(), s.data(), a.ByteLength());
  return info.Env().Undefined();
}

/** copy(src, dst, bytes, srcOffset = 0, dstOffset = 0) */
Napi::Value copy(const Napi::CallbackInfo& info) {
  Storage& src = Storage::from(info, 0, "copy src");
  Storage& dst = Storage::from(info, 1, "copy dst");
  int64_t bytes = integer(info, 2, "copy bytes");
  int64_t so = info.Length() > 3 ? integer(info, 3, "copy srcOffset") : 0;
  int64_t dof = info.Length() > 4 ? integer(info, 4, "copy dstOffset") : 0;
  need(info, src.bytes(), so + bytes, "copy src");
  need(info, dst.bytes(), dof + bytes, "copy dst");
  std::memmove(static_cast<uint8_t*>(dst.data()) + dof, static_cast<uint8_t*>(src.data()) + so, bytes);
  return info.Env().Undefined();
}

Napi::Value poolStats(const Napi::CallbackInfo& info) {
  PoolStats s = HostPool::instance().stats();
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("freshBytes", double(s.freshBytes));
  o.Set("freshBlocks", double(s.freshBlocks));
  o.Set("reusedBlocks", double(s.reusedBlocks));
  o.Set("liveBytes", double(s.liveBytes));
  o.Set("pooledBytes", double(s.pooledBytes));
  return o;
}

Napi::Value trim(const Napi::CallbackInfo& info) {
  HostPool::instance().trim();
  return info.Env().Undefined();
}

}  // namespace

namespace {

void registerMemory(Napi::Env env, Napi::Object exports) {
  exports.Set("Storage", Storage::define(env));
  exports.Set("alloc", Napi::Function::New(env, alloc, "alloc"));
  exports.Set("write", Napi::Function::New(env, write, "write"));
  exports.Set("read", Napi::Function::New(env, read, "read"));
  exports.Set("copy", Napi::Function::New(env, copy, "copy"));
  exports.Set("poolStats", Napi::Function::New(env, poolStats, "poolStats"));
  exports.Set("trim", Napi::Function::New(env, trim, "trim"));
}

}  // namespace

ROBUSTA_BINDING(registerMemory);

}  // namespace robusta::binding
