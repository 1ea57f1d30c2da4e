// Binding functions for elementwise kernels: unary, binary with broadcasting, cast.
#include <napi.h>

#include "binding/args.h"
#include "binding/registry.h"
#include "binding/storage.h"
#include "core/cpu/elementwise.h"

namespace robusta::binding {

namespace {

/** unary(op, inDtype, in, outDtype, out, n, alpha) */
Napi::Value unary(const Napi::CallbackInfo& info) {
  int64_t op = integer(info, 0, "unary op");
  DType inType = dtype(info, 1, "unary input dtype");
  Storage& in = Storage::from(info, 2, "unary input");
  DType outType = dtype(info, 3, "unary output dtype");
  Storage& out = Storage::from(info, 4, "unary output");
  int64_t n = integer(info, 5, "unary size");
  float alpha = static_cast<float>(info.Length() > 6 ? number(info, 6, "unary alpha") : 0.0);
  need(info, in.bytes(), n * int64_t(dtypeSize(inType)), "unary input");
  need(info, out.bytes(), n * int64_t(dtypeSize(outType)), "unary output");
  guarded(info.Env(), [&] { cpu::unary(static_cast<cpu::UnaryOp>(op), inType, in.data(), outType, out.data(), n, alpha); });
  return info.Env().Undefined();
}

/** binary(op, dtype, a, aShape, b, bShape, out, outShape) */
Napi::Value binary(const Napi::CallbackInfo& info) {
  int64_t op = integer(info, 0, "binary op");
  DType t = dtype(info, 1, "binary dtype");
  Storage& a = Storage::from(info, 2, "binary a");
  Shape as = shape(info, 3, "binary a shape");
  Storage& b = Storage::from(info, 4, "binary b");
  Shape bs = shape(info, 5, "binary b shape");
  Storage& out = Storage::from(info, 6, "binary out");
  Shape os = shape(info, 7, "binary out shape");
  auto bop = static_cast<cpu::BinaryOp>(op);
  need(info, a.bytes(), numel(as) * int64_t(dtypeSize(t)), "binary a");
  need(info, b.bytes(), numel(bs) * int64_t(dtypeSize(t)), "binary b");
  need(info, out.bytes(), numel(os) * int64_t(dtypeSize(cpu::binaryOutputsBool(bop) ? DType::Bool : t)), "binary out");
  guarded(info.Env(), [&] { cpu::binary(bop, t, a.data(), as, b.data(), bs, out.data(), os); });
  return info.Env().Undefined();
}

/** cast(fromDtype, in, toDtype, out, n) */
Napi::Value cast(const Napi::CallbackInfo& info) {
  DType from = dtype(info, 0, "cast from");
  Storage& in = Storage::from(info, 1, "cast input");
  DType to = dtype(info, 2, "cast to");
  Storage& out = Storage::from(info, 3, "cast output");
  int64_t n = integer(info, 4, "cast size");
  need(info, in.bytes(), n * int64_t(dtypeSize(from)), "cast input");
  need(info, out.bytes(), n * int64_t(dtypeSize(to)), "cast output");
  guarded(info.Env(), [&] { cpu::cast(from, in.data(), to, out.data(), n); });
  return info.Env().Undefined();
}

}  // namespace

namespace {

void registerElementwise(Napi::Env env, Napi::Object exports) {
  exports.Set("unary", Napi::Function::New(env, unary, "unary"));
  exports.Set("binary", Napi::Function::New(env, binary, "binary"));
  exports.Set("cast", Napi::Function::New(env, cast, "cast"));
}

}  // namespace

ROBUSTA_BINDING(registerElementwise);

}  // namespace robusta::binding
