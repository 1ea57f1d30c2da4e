// Binding functions for data movement: strided copies, constant fills, select and range.
#include <napi.h>

#include "binding/args.h"
#include "binding/registry.h"
#include "binding/storage.h"
#include "core/cpu/range.h"
#include "core/cpu/select.h"
#include "core/cpu/transform.h"

namespace robusta::binding {

namespace {

/** An array of integers that may be negative (strides), unlike `shape`. */
std::vector<int64_t> ints(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (i >= info.Length() || !info[i].IsArray()) throw Napi::TypeError::New(info.Env(), std::string(what) + " must be an array");
  Napi::Array a = info[i].As<Napi::Array>();
  std::vector<int64_t> v(a.Length());
  for (uint32_t k = 0; k < a.Length(); ++k) {
    Napi::Value x = a.Get(k);
    if (!x.IsNumber()) throw Napi::TypeError::New(info.Env(), std::string(what) + ": entry " + std::to_string(k) + " is not a number");
    v[k] = static_cast<int64_t>(x.As<Napi::Number>().DoubleValue());
  }
  return v;
}

size_t elemBytes(const Napi::CallbackInfo& info, size_t i, const char* what) {
  const int64_t b = integer(info, i, what);
  if (b != 1 && b != 4) throw Napi::RangeError::New(info.Env(), std::string(what) + ": element size must be 1 or 4");
  return size_t(b);
}

/** stridedCopy(elemBytes, in, out, shape, inStrides, outStrides, inOffset, outOffset) */
Napi::Value stridedCopy(const Napi::CallbackInfo& info) {
  const size_t eb = elemBytes(info, 0, "stridedCopy");
  Storage& in = Storage::from(info, 1, "stridedCopy input");
  Storage& out = Storage::from(info, 2, "stridedCopy output");
  cpu::CopyPlan plan;
  plan.shape = shape(info, 3, "stridedCopy shape");
  plan.inStrides = ints(info, 4, "stridedCopy input strides");
  plan.outStrides = ints(info, 5, "stridedCopy output strides");
  plan.inOffset = integer(info, 6, "stridedCopy input offset");
  plan.outOffset = integer(info, 7, "stridedCopy output offset");
  guarded(info.Env(), [&] {
    cpu::stridedCopy(eb, in.data(), int64_t(in.bytes() / eb), out.data(), int64_t(out.bytes() / eb), plan);
  });
  return info.Env().Undefined();
}

/** fillConstant(dtype, out, n, value) */
Napi::Value fillConstant(const Napi::CallbackInfo& info) {
  const DType t = dtype(info, 0, "fillConstant dtype");
  Storage& out = Storage::from(info, 1, "fillConstant output");
  const int64_t n = integer(info, 2, "fillConstant size");
  const double value = number(info, 3, "fillConstant value");
  need(info, out.bytes(), n * int64_t(dtypeSize(t)), "fillConstant output");
  guarded(info.Env(), [&] { cpu::fillConstant(t, out.data(), n, value); });
  return info.Env().Undefined();
}

/** selectWhere(elemBytes, cond, condShape, t, tShape, e, eShape, out, outShape) */
Napi::Value selectWhere(const Napi::CallbackInfo& info) {
  const size_t eb = elemBytes(info, 0, "select");
  Storage& c = Storage::from(info, 1, "select condition");
  const Shape cs = shape(info, 2, "select condition shape");
  Storage& t = Storage::from(info, 3, "select t");
  const Shape ts = shape(info, 4, "select t shape");
  Storage& e = Storage::from(info, 5, "select e");
  const Shape es = shape(info, 6, "select e shape");
  Storage& out = Storage::from(info, 7, "select output");
  const Shape os = shape(info, 8, "select output shape");
  need(info, c.bytes(), numel(cs), "select condition");
  need(info, t.bytes(), numel(ts) * int64_t(eb), "select t");
  need(info, e.bytes(), numel(es) * int64_t(eb), "select e");
  need(info, out.bytes(), numel(os) * int64_t(eb), "select output");
  guarded(info.Env(), [&] {
    cpu::select(eb, static_cast<const uint8_t*>(c.data()), cs, t.data(), ts, e.data(), es, out.data(), os);
  });
  return info.Env().Undefined();
}

/** rangeFill(dtype, out, n, start, step) */
Napi::Value rangeFill(const Napi::CallbackInfo& info) {
  const DType t = dtype(info, 0, "range dtype");
  Storage& out = Storage::from(info, 1, "range output");
  const int64_t n = integer(info, 2, "range size");
  const double start = number(info, 3, "range start"), step = number(info, 4, "range step");
  need(info, out.bytes(), n * int64_t(dtypeSize(t)), "range output");
  guarded(info.Env(), [&] { cpu::range(t, out.data(), n, start, step); });
  return info.Env().Undefined();
}

void registerTransform(Napi::Env env, Napi::Object exports) {
  exports.Set("stridedCopy", Napi::Function::New(env, stridedCopy, "stridedCopy"));
  exports.Set("fillConstant", Napi::Function::New(env, fillConstant, "fillConstant"));
  exports.Set("selectWhere", Napi::Function::New(env, selectWhere, "selectWhere"));
  exports.Set("rangeFill", Napi::Function::New(env, rangeFill, "rangeFill"));
}

}  // namespace

ROBUSTA_BINDING(registerTransform);

}  // namespace robusta::binding
