// Binding functions for index-driven kernels: gather, unsorted segment sum, one-hot.
#include <napi.h>

#include "binding/args.h"
#include "binding/registry.h"
#include "binding/storage.h"
#include "core/cpu/gather.h"

namespace robusta::binding {

namespace {

/** gatherRows(elemBytes, x, indices, out, B, O, D, S, N): see core/cpu/gather.h for the legend */
Napi::Value gatherRows(const Napi::CallbackInfo& info) {
  const int64_t eb = integer(info, 0, "gather element size");
  if (eb != 1 && eb != 4) throw Napi::RangeError::New(info.Env(), "gather: element size must be 1 or 4");
  Storage& x = Storage::from(info, 1, "gather x");
  Storage& idx = Storage::from(info, 2, "gather indices");
  Storage& out = Storage::from(info, 3, "gather output");
  int64_t d[5];
  const char* names[5] = {"gather batch", "gather outer", "gather axis size", "gather slice", "gather indices per batch"};
  for (int k = 0; k < 5; ++k) {
    d[k] = integer(info, 4 + k, names[k]);
    if (d[k] < 0) throw Napi::RangeError::New(info.Env(), std::string(names[k]) + " is negative");
  }
  const int64_t B = d[0], O = d[1], D = d[2], S = d[3], N = d[4];
  need(info, x.bytes(), B * O * D * S * eb, "gather x");
  need(info, idx.bytes(), B * N * 4, "gather indices");
  need(info, out.bytes(), B * O * N * S * eb, "gather output");
  guarded(info.Env(), [&] {
    cpu::gather(size_t(eb), x.data(), static_cast<const int32_t*>(idx.data()), out.data(), B, O, D, S, N);
  });
  return info.Env().Undefined();
}

/** unsortedSegmentSum(xDtype, x, ids, N, S, out, numSegments) */
Napi::Value unsortedSegmentSum(const Napi::CallbackInfo& info) {
  const DType t = dtype(info, 0, "unsortedSegmentSum x dtype");
  Storage& x = Storage::from(info, 1, "unsortedSegmentSum x");
  Storage& ids = Storage::from(info, 2, "unsortedSegmentSum segmentIds");
  const int64_t n = integer(info, 3, "unsortedSegmentSum rows"), s = integer(info, 4, "unsortedSegmentSum row size");
  Storage& out = Storage::from(info, 5, "unsortedSegmentSum output");
  const int64_t segments = integer(info, 6, "unsortedSegmentSum numSegments");
  if (n < 0 || s < 0 || segments < 0) throw Napi::RangeError::New(info.Env(), "unsortedSegmentSum: negative extent");
  need(info, x.bytes(), n * s * int64_t(dtypeSize(t)), "unsortedSegmentSum x");
  need(info, ids.bytes(), n * 4, "unsortedSegmentSum segmentIds");
  need(info, out.bytes(), segments * s * 4, "unsortedSegmentSum output");
  guarded(info.Env(), [&] {
    cpu::unsortedSegmentSum(t, x.data(), static_cast<const int32_t*>(ids.data()), n, s,
                            static_cast<float*>(out.data()), segments);
  });
  return info.Env().Undefined();
}

/** oneHot(indices, N, depth, dtype, onValue, offValue, out) */
Napi::Value oneHot(const Napi::CallbackInfo& info) {
  Storage& idx = Storage::from(info, 0, "oneHot indices");
  const int64_t n = integer(info, 1, "oneHot size"), depth = integer(info, 2, "oneHot depth");
  const DType t = dtype(info, 3, "oneHot dtype");
  const double on = number(info, 4, "oneHot onValue"), off = number(info, 5, "oneHot offValue");
  Storage& out = Storage::from(info, 6, "oneHot output");
  if (n < 0 || depth < 0) throw Napi::RangeError::New(info.Env(), "oneHot: negative extent");
  need(info, idx.bytes(), n * 4, "oneHot indices");
  need(info, out.bytes(), n * depth * int64_t(dtypeSize(t)), "oneHot output");
  guarded(info.Env(), [&] { cpu::oneHot(static_cast<const int32_t*>(idx.data()), n, depth, t, on, off, out.data()); });
  return info.Env().Undefined();
}

void registerGather(Napi::Env env, Napi::Object exports) {
  exports.Set("gatherRows", Napi::Function::New(env, gatherRows, "gatherRows"));
  exports.Set("unsortedSegmentSum", Napi::Function::New(env, unsortedSegmentSum, "unsortedSegmentSum"));
  exports.Set("oneHot", Napi::Function::New(env, oneHot, "oneHot"));
}

}  // namespace

ROBUSTA_BINDING(registerGather);

}  // namespace robusta::binding
