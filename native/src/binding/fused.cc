// Binding functions of the fused kernels (LayerNorm, bias+GELU, attention, softmax cross-entropy, AdamW), forward
// and backward; sizes are checked against the storages before the core runs.
#include <napi.h>

#include <cstdint>

#include "binding/args.h"
#include "binding/registry.h"
#include "binding/storage.h"
#include "core/cpu/fused_adamw.h"
#include "core/cpu/fused_attention.h"
#include "core/cpu/fused_bias_gelu.h"
#include "core/cpu/fused_cross_entropy.h"
#include "core/cpu/fused_layer_norm.h"

namespace robusta::binding {

namespace {

float* f32(Storage& s) { return static_cast<float*>(s.data()); }

/** fusedLayerNorm(x, gamma, beta, y, rows, H, epsilon) */
Napi::Value layerNorm(const Napi::CallbackInfo& info) {
  Storage& x = Storage::from(info, 0, "layerNorm x");
  Storage& gamma = Storage::from(info, 1, "layerNorm gamma");
  Storage& beta = Storage::from(info, 2, "layerNorm beta");
  Storage& y = Storage::from(info, 3, "layerNorm y");
  const int64_t rows = integer(info, 4, "layerNorm rows"), H = integer(info, 5, "layerNorm H");
  const float eps = static_cast<float>(number(info, 6, "layerNorm epsilon"));
  need(info, x.bytes(), rows * H * 4, "layerNorm x");
  need(info, y.bytes(), rows * H * 4, "layerNorm y");
  need(info, gamma.bytes(), H * 4, "layerNorm gamma");
  need(info, beta.bytes(), H * 4, "layerNorm beta");
  guarded(info.Env(), [&] { cpu::fused::layerNormForward(f32(x), f32(gamma), f32(beta), f32(y), rows, H, eps); });
  return info.Env().Undefined();
}

/** fusedLayerNormGrad(dy, x, gamma, dx, dgamma, dbeta, rows, H, epsilon) */
Napi::Value layerNormGrad(const Napi::CallbackInfo& info) {
  Storage& dy = Storage::from(info, 0, "layerNormGrad dy");
  Storage& x = Storage::from(info, 1, "layerNormGrad x");
  Storage& gamma = Storage::from(info, 2, "layerNormGrad gamma");
  Storage& dx = Storage::from(info, 3, "layerNormGrad dx");
  Storage& dgamma = Storage::from(info, 4, "layerNormGrad dgamma");
  Storage& dbeta = Storage::from(info, 5, "layerNormGrad dbeta");
  const int64_t rows = integer(info, 6, "layerNormGrad rows"), H = integer(info, 7, "layerNormGrad H");
  const float eps = static_cast<float>(number(info, 8, "layerNormGrad epsilon"));
  for (Storage* s : {&dy, &x, &dx}) need(info, s->bytes(), rows * H * 4, "layerNormGrad [rows, H] tensor");
  for (Storage* s : {&gamma, &dgamma, &dbeta}) need(info, s->bytes(), H * 4, "layerNormGrad [H] tensor");
  guarded(info.Env(), [&] {
    cpu::fused::layerNormBackward(f32(dy), f32(x), f32(gamma), f32(dx), f32(dgamma), f32(dbeta), rows, H, eps);
  });
  return info.Env().Undefined();
}

/** fusedBiasGelu(x, bias, y, rows, F) */
Napi::Value biasGelu(const Napi::CallbackInfo& info) {
  Storage& x = Storage::from(info, 0, "biasGelu x");
  Storage& bias = Storage::from(info, 1, "biasGelu bias");
  Storage& y = Storage::from(info, 2, "biasGelu y");
  const int64_t rows = integer(info, 3, "biasGelu rows"), F = integer(info, 4, "biasGelu F");
  need(info, x.bytes(), rows * F * 4, "biasGelu x");
  need(info, y.bytes(), rows * F * 4, "biasGelu y");
  need(info, bias.bytes(), F * 4, "biasGelu bias");
  guarded(info.Env(), [&] { cpu::fused::biasGeluForward(f32(x), f32(bias), f32(y), rows, F); });
  return info.Env().Undefined();
}

/** fusedBiasGeluGrad(dy, x, bias, dx, dbias, rows, F) */
Napi::Value biasGeluGrad(const Napi::CallbackInfo& info) {
  Storage& dy = Storage::from(info, 0, "biasGeluGrad dy");
  Storage& x = Storage::from(info, 1, "biasGeluGrad x");
  Storage& bias = Storage::from(info, 2, "biasGeluGrad bias");
  Storage& dx = Storage::from(info, 3, "biasGeluGrad dx");
  Storage& dbias = Storage::from(info, 4, "biasGeluGrad dbias");
  const int64_t rows = integer(info, 5, "biasGeluGrad rows"), F = integer(info, 6, "biasGeluGrad F");
  for (Storage* s : {&dy, &x, &dx}) need(info, s->bytes(), rows * F * 4, "biasGeluGrad [rows, F] tensor");
  for (Storage* s : {&bias, &dbias}) need(info, s->bytes(), F * 4, "biasGeluGrad [F] tensor");
  guarded(info.Env(), [&] { cpu::fused::biasGeluBackward(f32(dy), f32(x), f32(bias), f32(dx), f32(dbias), rows, F); });
  return info.Env().Undefined();
}

/** Reads (B, A, Tq, Tk, D), the mask shape and the dropout settings starting at argument i. */
struct AttentionArgs {
  cpu::fused::AttentionDims dims;
  cpu::fused::Dropout dropout;
  int64_t maskElements = 0;
};

AttentionArgs attentionArgs(const Napi::CallbackInfo& info, size_t i) {
  AttentionArgs a;
  auto& d = a.dims;
  d.B = integer(info, i, "attention B");
  d.A = integer(info, i + 1, "attention A");
  d.Tq = integer(info, i + 2, "attention Tq");
  d.Tk = integer(info, i + 3, "attention Tk");
  d.D = integer(info, i + 4, "attention D");
  Shape ms = shape(info, i + 5, "attention mask shape");
  const int64_t full[4] = {d.B, d.A, d.Tq, d.Tk};
  if (ms.size() != 4) throw Napi::RangeError::New(info.Env(), "attention: the mask must have rank 4");
  int64_t stride = 1;
  for (int axis = 3; axis >= 0; --axis) {
    if (ms[axis] != 1 && ms[axis] != full[axis]) {
      throw Napi::RangeError::New(info.Env(), "attention: mask " + shapeString(ms) + " does not broadcast to [B, A, Tq, Tk]");
    }
    d.maskStride[axis] = ms[axis] == 1 ? 0 : stride;
    stride *= ms[axis];
  }
  a.maskElements = stride;
  const int64_t threshold = integer(info, i + 6, "attention dropout threshold");
  a.dropout.active = threshold > 0;
  a.dropout.threshold = static_cast<uint32_t>(threshold);
  a.dropout.scale = static_cast<float>(number(info, i + 7, "attention dropout scale"));
  a.dropout.seedLo = static_cast<uint32_t>(integer(info, i + 8, "attention seedLo"));
  a.dropout.seedHi = static_cast<uint32_t>(integer(info, i + 9, "attention seedHi"));
  return a;
}

/** fusedAttention(q, k, v, mask, out, B, A, Tq, Tk, D, maskShape, threshold, scale, seedLo, seedHi) */
Napi::Value attention(const Napi::CallbackInfo& info) {
  Storage& q = Storage::from(info, 0, "attention q");
  Storage& k = Storage::from(info, 1, "attention k");
  Storage& v = Storage::from(info, 2, "attention v");
  Storage& mask = Storage::from(info, 3, "attention mask");
  Storage& out = Storage::from(info, 4, "attention out");
  const AttentionArgs a = attentionArgs(info, 5);
  const auto& d = a.dims;
  for (Storage* s : {&q, &out}) need(info, s->bytes(), d.B * d.A * d.Tq * d.D * 4, "attention [B, A, Tq, D] tensor");
  for (Storage* s : {&k, &v}) need(info, s->bytes(), d.B * d.A * d.Tk * d.D * 4, "attention [B, A, Tk, D] tensor");
  need(info, mask.bytes(), a.maskElements * 4, "attention mask");
  guarded(info.Env(), [&] { cpu::fused::attentionForward(f32(q), f32(k), f32(v), f32(mask), f32(out), d, a.dropout); });
  return info.Env().Undefined();
}

/** fusedAttentionGrad(dy, q, k, v, mask, dq, dk, dv, B, A, Tq, Tk, D, maskShape, threshold, scale, seedLo, seedHi) */
Napi::Value attentionGrad(const Napi::CallbackInfo& info) {
  Storage& dy = Storage::from(info, 0, "attentionGrad dy");
  Storage& q = Storage::from(info, 1, "attentionGrad q");
  Storage& k = Storage::from(info, 2, "attentionGrad k");
  Storage& v = Storage::from(info, 3, "attentionGrad v");
  Storage& mask = Storage::from(info, 4, "attentionGrad mask");
  Storage& dq = Storage::from(info, 5, "attentionGrad dq");
  Storage& dk = Storage::from(info, 6, "attentionGrad dk");
  Storage& dv = Storage::from(info, 7, "attentionGrad dv");
  const AttentionArgs a = attentionArgs(info, 8);
  const auto& d = a.dims;
  for (Storage* s : {&dy, &q, &dq}) need(info, s->bytes(), d.B * d.A * d.Tq * d.D * 4, "attentionGrad [B, A, Tq, D] tensor");
  for (Storage* s : {&k, &v, &dk, &dv}) need(info, s->bytes(), d.B * d.A * d.Tk * d.D * 4, "attentionGrad [B, A, Tk, D] tensor");
  need(info, mask.bytes(), a.maskElements * 4, "attentionGrad mask");
  guarded(info.Env(), [&] {
    cpu::fused::attentionBackward(f32(dy), f32(q), f32(k), f32(v), f32(mask), f32(dq), f32(dk), f32(dv), d, a.dropout);
  });
  return info.Env().Undefined();
}

/** fusedSoftmaxCrossEntropy(logits, labels, out, N, V, ignoreIndex): writes the scalar loss into out */
Napi::Value softmaxCrossEntropy(const Napi::CallbackInfo& info) {
  Storage& logits = Storage::from(info, 0, "softmaxCrossEntropy logits");
  Storage& labels = Storage::from(info, 1, "softmaxCrossEntropy labels");
  Storage& out = Storage::from(info, 2, "softmaxCrossEntropy out");
  const int64_t N = integer(info, 3, "softmaxCrossEntropy N"), V = integer(info, 4, "softmaxCrossEntropy V");
  const auto ignore = static_cast<int32_t>(integer(info, 5, "softmaxCrossEntropy ignoreIndex"));
  need(info, logits.bytes(), N * V * 4, "softmaxCrossEntropy logits");
  need(info, labels.bytes(), N * 4, "softmaxCrossEntropy labels");
  need(info, out.bytes(), 4, "softmaxCrossEntropy out");
  guarded(info.Env(), [&] {
    *f32(out) = cpu::fused::softmaxCrossEntropyForward(f32(logits), static_cast<const int32_t*>(labels.data()), N, V,
                                                       ignore);
  });
  return info.Env().Undefined();
}

/** fusedSoftmaxCrossEntropyGrad(dy, logits, labels, dlogits, N, V, ignoreIndex): dy is a one-element storage */
Napi::Value softmaxCrossEntropyGrad(const Napi::CallbackInfo& info) {
  Storage& dy = Storage::from(info, 0, "softmaxCrossEntropyGrad dy");
  Storage& logits = Storage::from(info, 1, "softmaxCrossEntropyGrad logits");
  Storage& labels = Storage::from(info, 2, "softmaxCrossEntropyGrad labels");
  Storage& dlogits = Storage::from(info, 3, "softmaxCrossEntropyGrad dlogits");
  const int64_t N = integer(info, 4, "softmaxCrossEntropyGrad N"), V = integer(info, 5, "softmaxCrossEntropyGrad V");
  const auto ignore = static_cast<int32_t>(integer(info, 6, "softmaxCrossEntropyGrad ignoreIndex"));
  need(info, dy.bytes(), 4, "softmaxCrossEntropyGrad dy");
  for (Storage* s : {&logits, &dlogits}) need(info, s->bytes(), N * V * 4, "softmaxCrossEntropyGrad [N, V] tensor");
  need(info, labels.bytes(), N * 4, "softmaxCrossEntropyGrad labels");
  guarded(info.Env(), [&] {
    cpu::fused::softmaxCrossEntropyBackward(*f32(dy), f32(logits), static_cast<const int32_t*>(labels.data()),
                                            f32(dlogits), N, V, ignore);
  });
  return info.Env().Undefined();
}

/** fusedAdamW(param, grad, m, v, pOut, mOut, vOut, n, lr, beta1, beta2, eps, weightDecay, bc1, bc2) */
Napi::Value adamw(const Napi::CallbackInfo& info) {
  Storage* s[7];
  const char* names[7] = {"adamw param", "adamw grad", "adamw m", "adamw v", "adamw param out", "adamw m out", "adamw v out"};
  for (size_t i = 0; i < 7; ++i) s[i] = &Storage::from(info, i, names[i]);
  const int64_t n = integer(info, 7, "adamw size");
  for (size_t i = 0; i < 7; ++i) need(info, s[i]->bytes(), n * 4, names[i]);
  cpu::fused::AdamWParams o{};
  o.lr = static_cast<float>(number(info, 8, "adamw lr"));
  o.beta1 = static_cast<float>(number(info, 9, "adamw beta1"));
  o.beta2 = static_cast<float>(number(info, 10, "adamw beta2"));
  o.eps = static_cast<float>(number(info, 11, "adamw eps"));
  o.weightDecay = static_cast<float>(number(info, 12, "adamw weightDecay"));
  o.biasCorrection1 = number(info, 13, "adamw biasCorrection1");
  o.biasCorrection2 = number(info, 14, "adamw biasCorrection2");
  guarded(info.Env(), [&] {
    cpu::fused::adamwUpdate(f32(*s[0]), f32(*s[1]), f32(*s[2]), f32(*s[3]), f32(*s[4]), f32(*s[5]), f32(*s[6]), n, o);
  });
  return info.Env().Undefined();
}

void registerFused(Napi::Env env, Napi::Object exports) {
  exports.Set("fusedLayerNorm", Napi::Function::New(env, layerNorm, "fusedLayerNorm"));
  exports.Set("fusedLayerNormGrad", Napi::Function::New(env, layerNormGrad, "fusedLayerNormGrad"));
  exports.Set("fusedBiasGelu", Napi::Function::New(env, biasGelu, "fusedBiasGelu"));
  exports.Set("fusedBiasGeluGrad", Napi::Function::New(env, biasGeluGrad, "fusedBiasGeluGrad"));
  exports.Set("fusedAttention", Napi::Function::New(env, attention, "fusedAttention"));
  exports.Set("fusedAttentionGrad", Napi::Function::New(env, attentionGrad, "fusedAttentionGrad"));
  exports.Set("fusedSoftmaxCrossEntropy", Napi::Function::New(env, softmaxCrossEntropy, "fusedSoftmaxCrossEntropy"));
  exports.Set("fusedSoftmaxCrossEntropyGrad",
              Napi::Function::New(env, softmaxCrossEntropyGrad, "fusedSoftmaxCrossEntropyGrad"));
  exports.Set("fusedAdamW", Napi::Function::New(env, adamw, "fusedAdamW"));
}

}  // namespace

ROBUSTA_BINDING(registerFused);

}  // namespace robusta::binding
