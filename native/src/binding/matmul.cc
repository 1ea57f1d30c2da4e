// Binding functions for matrix products: matMulShape, matMul (BatchMatMul / _FusedMatMul) and the GEMM switches.
#include <napi.h>

#include "binding/args.h"
#include "binding/registry.h"
#include "binding/storage.h"
#include "core/cpu/gemm.h"

namespace robusta::binding {

namespace {

bool boolean(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (i >= info.Length() || !info[i].IsBoolean()) throw Napi::TypeError::New(info.Env(), std::string(what) + " must be a boolean");
  return info[i].As<Napi::Boolean>().Value();
}

Napi::Array toArray(Napi::Env env, const Shape& s) {
  Napi::Array a = Napi::Array::New(env, s.size());
  for (uint32_t i = 0; i < s.size(); ++i) a.Set(i, Napi::Number::New(env, double(s[i])));
  return a;
}

/** matMulShape(aShape, bShape, transposeA, transposeB) -> the output shape; throws naming both shapes. */
Napi::Value matMulShape(const Napi::CallbackInfo& info) {
  Shape as = shape(info, 0, "matMul a shape");
  Shape bs = shape(info, 1, "matMul b shape");
  bool ta = boolean(info, 2, "matMul transposeA");
  bool tb = boolean(info, 3, "matMul transposeB");
  auto plan = guarded(info.Env(), [&] { return cpu::planMatMul(as, bs, ta, tb); });
  return toArray(info.Env(), plan.outShape);
}

/**
 * matMul(a, aShape, b, bShape, transposeA, transposeB, out, precision,
 *        bias?, biasShape?, activation?, alpha?, prelu?, preluShape?)
 * precision: GemmPrecision F32, or BF16 inputs; activation codes: cpu::Activation; bias/prelu broadcast against the output.
 */
Napi::Value matMul(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Storage& a = Storage::from(info, 0, "matMul a");
  Shape as = shape(info, 1, "matMul a shape");
  Storage& b = Storage::from(info, 2, "matMul b");
  Shape bs = shape(info, 3, "matMul b shape");
  bool ta = boolean(info, 4, "matMul transposeA");
  bool tb = boolean(info, 5, "matMul transposeB");
  Storage& out = Storage::from(info, 6, "matMul out");
  int64_t precision = integer(info, 7, "matMul precision");
  if (precision != int64_t(GemmPrecision::F32) && precision != int64_t(GemmPrecision::BF16))
    throw Napi::RangeError::New(env, "matMul precision must be GemmPrecision F32 or BF16 (the CPU has no TF32)");
  auto plan = guarded(env, [&] { return cpu::planMatMul(as, bs, ta, tb); });
  need(info, a.bytes(), numel(as) * 4, "matMul a");
  need(info, b.bytes(), numel(bs) * 4, "matMul b");
  need(info, out.bytes(), numel(plan.outShape) * 4, "matMul out");

  cpu::GemmBatch g;
  g.batch = plan.batch;
  g.M = plan.M;
  g.N = plan.N;
  g.K = plan.K;
  g.transA = ta;
  g.transB = tb;
  g.A = static_cast<const float*>(a.data());
  g.B = static_cast<const float*>(b.data());
  g.C = static_cast<float*>(out.data());
  g.aOffset = plan.aOffset.empty() ? nullptr : plan.aOffset.data();
  g.bOffset = plan.bOffset.empty() ? nullptr : plan.bOffset.data();
  g.precision = static_cast<cpu::GemmPrecision>(precision);

  // the fused epilogue: optional bias, activation, its alpha, optional prelu weights (absent as null/undefined)
  cpu::BroadcastOperand bias, prelu;
  auto operand = [&](size_t i, const char* what, cpu::BroadcastOperand& op) -> const float* {
    if (i >= info.Length() || info[i].IsNull() || info[i].IsUndefined()) return nullptr;
    Storage& s = Storage::from(info, i, what);
    Shape sh = shape(info, i + 1, what);
    op = guarded(env, [&] { return cpu::broadcastOperand(sh, plan.batchShape, plan.M, plan.N, what); });
    need(info, s.bytes(), numel(sh) * 4, what);
    return static_cast<const float*>(s.data());
  };
  g.epilogue.bias = operand(8, "matMul bias", bias);
  if (g.epilogue.bias) {
    g.epilogue.biasBatchOffset = bias.batchOffset.data();
    g.epilogue.biasRowStride = bias.rowStride;
    g.epilogue.biasColStride = bias.colStride;
  }
  if (info.Length() > 10) {
    int64_t code = integer(info, 10, "matMul activation");
    if (code < 0 || code >= int64_t(cpu::Activation::Count)) {
      throw Napi::RangeError::New(env, "matMul: unknown activation code " + std::to_string(code));
    }
    g.epilogue.act = static_cast<cpu::Activation>(code);
    if (info.Length() > 11 && info[11].IsNumber()) g.epilogue.alpha = number(info, 11, "matMul alpha");
  }
  if (g.epilogue.act == cpu::Activation::Prelu) {
    g.epilogue.prelu = operand(12, "matMul prelu weights", prelu);
    if (!g.epilogue.prelu) throw Napi::TypeError::New(env, "matMul: activation prelu needs prelu weights");
    g.epilogue.preluBatchOffset = prelu.batchOffset.data();
    g.epilogue.preluRowStride = prelu.rowStride;
    g.epilogue.preluColStride = prelu.colStride;
  }
  guarded(env, [&] { cpu::gemm(g); });
  return env.Undefined();
}

/** gemmConfigure({ impl?: 'auto'|'own'|'openblas', isa?: 'auto'|'generic'|'avx2'|'avx512', bf16Emulation?: boolean|'auto' }) */
Napi::Value gemmConfigure(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsObject()) throw Napi::TypeError::New(env, "gemmConfigure takes an options object");
  Napi::Object o = info[0].As<Napi::Object>();
  Napi::Value impl = o.Get("impl");
  if (impl.IsString()) {
    std::string v = impl.As<Napi::String>().Utf8Value();
    cpu::GemmImpl i = v == "own" ? cpu::GemmImpl::Own : v == "openblas" ? cpu::GemmImpl::OpenBLAS : cpu::GemmImpl::Auto;
    if (v != "own" && v != "openblas" && v != "auto") {
      throw Napi::RangeError::New(env, "gemmConfigure: impl must be 'auto', 'own' or 'openblas', got '" + v + "'");
    }
    guarded(env, [&] { cpu::setGemmImpl(i); });
  }
  Napi::Value isa = o.Get("isa");
  if (isa.IsString()) {
    std::string v = isa.As<Napi::String>().Utf8Value();
    cpu::GemmIsa i = v == "generic" ? cpu::GemmIsa::Generic
                     : v == "avx2"  ? cpu::GemmIsa::Avx2
                     : v == "avx512" ? cpu::GemmIsa::Avx512
                                     : cpu::GemmIsa::Auto;
    if (i == cpu::GemmIsa::Auto && v != "auto") {
      throw Napi::RangeError::New(env, "gemmConfigure: isa must be 'auto', 'generic', 'avx2' or 'avx512', got '" + v + "'");
    }
    guarded(env, [&] { cpu::setGemmIsa(i); });
  }
  Napi::Value emu = o.Get("bf16Emulation");
  if (emu.IsBoolean()) cpu::setGemmBf16Emulation(emu.As<Napi::Boolean>().Value());
  else if (emu.IsString() && emu.As<Napi::String>().Utf8Value() == "auto") cpu::setGemmBf16ByCpu();
  else if (!emu.IsUndefined())
    throw Napi::RangeError::New(env, "gemmConfigure: bf16Emulation must be true, false or 'auto'");
  return env.Undefined();
}

/** gemmInfo() -> { impl, isa, bf16, openblas, openblasDetail }: what runs now. */
Napi::Value gemmInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto gi = guarded(env, [] { return cpu::gemmInfo(); });
  Napi::Object o = Napi::Object::New(env);
  o.Set("impl", gi.impl);
  o.Set("isa", gi.isa);
  o.Set("bf16", gi.bf16);
  o.Set("openblas", gi.openblas);
  o.Set("openblasDetail", gi.openblasDetail);
  return o;
}

void registerMatMul(Napi::Env env, Napi::Object exports) {
  exports.Set("matMulShape", Napi::Function::New(env, matMulShape, "matMulShape"));
  exports.Set("matMul", Napi::Function::New(env, matMul, "matMul"));
  exports.Set("gemmConfigure", Napi::Function::New(env, gemmConfigure, "gemmConfigure"));
  exports.Set("gemmInfo", Napi::Function::New(env, gemmInfo, "gemmInfo"));
}

}  // namespace

ROBUSTA_BINDING(registerMatMul);

}  // namespace robusta::binding
