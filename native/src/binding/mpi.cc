// Binding functions for MPI collectives (core/mpi): status, init, all-reduce, broadcast, barrier, abort, finalize.
//
// Every call that may block on other processes returns a promise: the core runs it on its MPI thread and a
// thread-safe function settles the promise on the JS thread. Argument errors throw at once (they are the same on every
// rank); whether MPI is up is checked on the MPI thread, in call order, so an mpiInit() not yet awaited still comes
// first and no rank refuses a call that another rank has queued. A rank that never arrives then leaves this process's
// event loop running, so timers can notice (the fault detection by timeout builds on that) instead of the whole
// process freezing inside MPI_Allreduce.
#include <napi.h>

#include <cmath>
#include <functional>
#include <memory>
#include <string>

#include "binding/args.h"
#include "binding/registry.h"
#include "binding/storage.h"
#include "core/error.h"
#include "core/mpi/collectives.h"
#include "core/mpi/library.h"

namespace robusta::binding {

namespace {

/** One call in flight: its promise, the JS buffer kept alive until MPI is done with it, and the outcome. */
struct Pending {
  Napi::Promise::Deferred deferred;
  Napi::ObjectReference keep;
  std::string error;
  std::function<Napi::Value(Napi::Env)> result;  // null: resolves with undefined
};

void settle(Napi::Env env, Napi::Function, void*, Pending* p) {
  if (env == nullptr) return;  // the environment is going away: leak rather than touch its references
  std::unique_ptr<Pending> own(p);
  if (!p->error.empty()) {
    p->deferred.Reject(Napi::Error::New(env, p->error).Value());
  } else {
    p->deferred.Resolve(p->result ? p->result(env) : env.Undefined());
  }
}

using Settler = Napi::TypedThreadSafeFunction<void, Pending, settle>;

/** Queues `job` on the MPI thread (now, so the program's order is MPI's order) and returns its promise. */
Napi::Value later(Napi::Env env, std::function<void()> job, Napi::Object keep = Napi::Object(),
                  std::function<Napi::Value(Napi::Env)> result = nullptr) {
  auto deferred = Napi::Promise::Deferred::New(env);
  auto* p = new Pending{deferred, keep.IsEmpty() ? Napi::ObjectReference() : Napi::Persistent(keep), "",
                        std::move(result)};
  Settler settler = Settler::New(env, "robusta.mpi", 0, 1);
  mpi::submit(std::move(job), [p, settler](const std::string& error) mutable {
    p->error = error;
    settler.BlockingCall(p);
    settler.Release();
  });
  return deferred.Promise();
}

/** A buffer argument: a typed array (its element type) or a Storage handle (float32 tensor memory). */
struct Buffer {
  void* data = nullptr;
  size_t bytes = 0;
  bool typed = false;  // float32, float64 or int32: reducible
  mpi::DataType type = mpi::DataType::Float32;
  Napi::Object holder;
};

Buffer buffer(const Napi::CallbackInfo& info, size_t i, const char* what) {
  Buffer b;
  if (i < info.Length() && info[i].IsTypedArray()) {
    Napi::TypedArray a = info[i].As<Napi::TypedArray>();
    b.data = static_cast<uint8_t*>(a.ArrayBuffer().Data()) + a.ByteOffset();
    b.bytes = a.ByteLength();
    b.holder = a;
    napi_typedarray_type t = a.TypedArrayType();
    b.typed = t == napi_float32_array || t == napi_float64_array || t == napi_int32_array;
    if (t == napi_float64_array) b.type = mpi::DataType::Float64;
    if (t == napi_int32_array) b.type = mpi::DataType::Int32;
    return b;
  }
  Storage& s = Storage::from(info, i, what);  // throws a TypeError naming `what` for anything else
  b.data = s.data();
  b.bytes = s.bytes();
  b.typed = true;
  b.type = mpi::DataType::Float32;
  b.holder = info[i].As<Napi::Object>();
  return b;
}

size_t elementSize(mpi::DataType t) { return t == mpi::DataType::Float64 ? 8 : 4; }

Napi::Value status(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const mpi::Status& st = mpi::status();
  Napi::Object o = Napi::Object::New(env);
  o.Set("available", st.available);
  if (!st.library.empty()) o.Set("library", st.library);
  if (!st.version.empty()) o.Set("version", st.version);
  if (!st.available) o.Set("reason", st.detail);
  try {
    mpi::World w = mpi::world();
    o.Set("initialized", true);
    o.Set("rank", w.rank);
    o.Set("size", w.size);
    o.Set("localRank", w.localRank);
    o.Set("threadLevel", mpi::threadLevelName(w.threadLevel));
  } catch (const Error&) {
    o.Set("initialized", false);
  }
  return o;
}

Napi::Value init(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  guarded(env, [] { return mpi::api().initThread != nullptr; });  // not loaded: throw now, with the reason, rather than reject later
  auto world = std::make_shared<mpi::World>();
  return later(
      env, [world] { *world = mpi::initialize(); }, Napi::Object(),
      [world](Napi::Env e) {
        Napi::Object o = Napi::Object::New(e);
        o.Set("rank", world->rank);
        o.Set("size", world->size);
        o.Set("localRank", world->localRank);
        o.Set("threadLevel", mpi::threadLevelName(world->threadLevel));
        return o;
      });
}

/** allReduce(buffer, count?): in place over the first `count` elements (default: all). */
Napi::Value allReduce(const Napi::CallbackInfo& info, mpi::ReduceOp op, const char* what) {
  Napi::Env env = info.Env();
  Buffer b = buffer(info, 0, what);
  if (!b.typed) {
    throw Napi::TypeError::New(env, std::string(what) + ": expected a Float32Array, Float64Array, Int32Array or Storage");
  }
  size_t capacity = b.bytes / elementSize(b.type);
  size_t count = capacity;
  if (info.Length() > 1 && !info[1].IsUndefined()) {
    double c = number(info, 1, (std::string(what) + " count").c_str());
    if (!(c >= 0) || c != std::floor(c) || c > double(capacity)) {
      throw Napi::RangeError::New(env, std::string(what) + ": count " + info[1].ToString().Utf8Value() +
                                           " but the buffer holds " + std::to_string(capacity) + " elements");
    }
    count = size_t(c);
  }
  void* data = b.data;
  mpi::DataType type = b.type;
  return later(env, [=] { mpi::allReduce(data, count, type, op); }, b.holder);
}

Napi::Value allReduceSum(const Napi::CallbackInfo& info) {
  return allReduce(info, mpi::ReduceOp::Sum, "mpiAllReduceSum");
}

Napi::Value allReduceMax(const Napi::CallbackInfo& info) {
  return allReduce(info, mpi::ReduceOp::Max, "mpiAllReduceMax");
}

/** broadcast(buffer, root = 0): every byte of the buffer from rank `root`. */
Napi::Value broadcast(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Buffer b = buffer(info, 0, "mpiBroadcast");
  int root = info.Length() > 1 && !info[1].IsUndefined() ? int(integer(info, 1, "mpiBroadcast root")) : 0;
  void* data = b.data;
  size_t bytes = b.bytes;
  return later(env, [=] { mpi::broadcast(data, bytes, root); }, b.holder);
}

Napi::Value barrier(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return later(env, [] { mpi::barrier(); });
}

Napi::Value finalize(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!mpi::status().available) {  // nothing to finalize: MPI never loaded
    auto done = Napi::Promise::Deferred::New(env);
    done.Resolve(env.Undefined());
    return done.Promise();
  }
  return later(env, [] { mpi::finalize(); });
}

Napi::Value abort(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int code = info.Length() > 0 && !info[0].IsUndefined() ? int(integer(info, 0, "mpiAbort code")) : 1;
  guarded(env, [code] {
    mpi::abort(code);
    return 0;
  });
  return env.Undefined();
}

void registerMpi(Napi::Env env, Napi::Object exports) {
  exports.Set("mpiStatus", Napi::Function::New(env, status, "mpiStatus"));
  exports.Set("mpiInit", Napi::Function::New(env, init, "mpiInit"));
  exports.Set("mpiAllReduceSum", Napi::Function::New(env, allReduceSum, "mpiAllReduceSum"));
  exports.Set("mpiAllReduceMax", Napi::Function::New(env, allReduceMax, "mpiAllReduceMax"));
  exports.Set("mpiBroadcast", Napi::Function::New(env, broadcast, "mpiBroadcast"));
  exports.Set("mpiBarrier", Napi::Function::New(env, barrier, "mpiBarrier"));
  exports.Set("mpiFinalize", Napi::Function::New(env, finalize, "mpiFinalize"));
  exports.Set("mpiAbort", Napi::Function::New(env, abort, "mpiAbort"));
}

}  // namespace

ROBUSTA_BINDING(registerMpi);

}  // namespace robusta::binding
