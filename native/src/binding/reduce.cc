// Binding functions for reductions, scans and softmax rows: argument and size checks, then the core kernels.
#include <napi.h>

#include "binding/args.h"
#include "binding/registry.h"
#include "binding/storage.h"
#include "core/cpu/reduce.h"
#include "core/cpu/scan.h"
#include "core/cpu/softmax.h"

namespace robusta::binding {

namespace {

/** reduce(op, inDtype, x, out, outer, size, inner): x [outer, size, inner] -> out [outer, inner] */
Napi::Value reduce(const Napi::CallbackInfo& info) {
  const int64_t op = integer(info, 0, "reduce op");
  if (op < 0 || op >= static_cast<int64_t>(cpu::ReduceOp::Count)) {
    throw Napi::RangeError::New(info.Env(), "reduce: unknown op " + std::to_string(op));
  }
  const DType inType = dtype(info, 1, "reduce input dtype");
  Storage& x = Storage::from(info, 2, "reduce input");
  Storage& out = Storage::from(info, 3, "reduce output");
  const int64_t outer = integer(info, 4, "reduce outer"), size = integer(info, 5, "reduce size");
  const int64_t inner = integer(info, 6, "reduce inner");
  if (outer < 0 || size < 0 || inner < 0) throw Napi::RangeError::New(info.Env(), "reduce: negative extent");
  const auto rop = static_cast<cpu::ReduceOp>(op);
  need(info, x.bytes(), outer * size * inner * int64_t(dtypeSize(inType)), "reduce input");
  need(info, out.bytes(), outer * inner * int64_t(dtypeSize(cpu::reduceOutputType(rop, inType))), "reduce output");
  guarded(info.Env(), [&] { cpu::reduce(rop, inType, x.data(), out.data(), outer, size, inner); });
  return info.Env().Undefined();
}

/** softmaxRows(x, out, rows, n, log): float32 rows of n along the last axis */
Napi::Value softmaxRows(const Napi::CallbackInfo& info) {
  Storage& x = Storage::from(info, 0, "softmax input");
  Storage& out = Storage::from(info, 1, "softmax output");
  const int64_t rows = integer(info, 2, "softmax rows"), n = integer(info, 3, "softmax row length");
  const bool log = info.Length() > 4 && info[4].ToBoolean().Value();
  if (rows < 0 || n < 0) throw Napi::RangeError::New(info.Env(), "softmax: negative extent");
  need(info, x.bytes(), rows * n * 4, "softmax input");
  need(info, out.bytes(), rows * n * 4, "softmax output");
  guarded(info.Env(), [&] {
    cpu::softmax(static_cast<const float*>(x.data()), static_cast<float*>(out.data()), rows, n, log);
  });
  return info.Env().Undefined();
}

/** scan(op, inDtype, x, out, outer, size, inner, exclusive, reverse): Cumsum/Cumprod along the middle axis */
Napi::Value scan(const Napi::CallbackInfo& info) {
  const int64_t op = integer(info, 0, "scan op");
  if (op < 0 || op >= static_cast<int64_t>(cpu::ScanOp::Count)) {
    throw Napi::RangeError::New(info.Env(), "scan: unknown op " + std::to_string(op));
  }
  const DType inType = dtype(info, 1, "scan input dtype");
  Storage& x = Storage::from(info, 2, "scan input");
  Storage& out = Storage::from(info, 3, "scan output");
  const int64_t outer = integer(info, 4, "scan outer"), size = integer(info, 5, "scan size");
  const int64_t inner = integer(info, 6, "scan inner");
  const bool exclusive = info.Length() > 7 && info[7].ToBoolean().Value();
  const bool reverse = info.Length() > 8 && info[8].ToBoolean().Value();
  if (outer < 0 || size < 0 || inner < 0) throw Napi::RangeError::New(info.Env(), "scan: negative extent");
  const int64_t n = outer * size * inner;
  need(info, x.bytes(), n * int64_t(dtypeSize(inType)), "scan input");
  need(info, out.bytes(), n * 4, "scan output");
  guarded(info.Env(), [&] {
    cpu::scan(static_cast<cpu::ScanOp>(op), inType, x.data(), out.data(), outer, size, inner, exclusive, reverse);
  });
  return info.Env().Undefined();
}

void registerReduce(Napi::Env env, Napi::Object exports) {
  exports.Set("scan", Napi::Function::New(env, scan, "scan"));
  exports.Set("reduce", Napi::Function::New(env, reduce, "reduce"));
  exports.Set("softmaxRows", Napi::Function::New(env, softmaxRows, "softmaxRows"));
}

}  // namespace

ROBUSTA_BINDING(registerReduce);

}  // namespace robusta::binding
