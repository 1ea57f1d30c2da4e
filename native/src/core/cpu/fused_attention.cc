// Attention forward and backward (see fused_attention.h), one head per task. Each head's products are small GEMMs
// done here with register tiles (the core GEMM of gemm.h cannot be called inside a parallel task: the pool runs one
// parallel loop at a time); the probabilities are recomputed in the backward rather than stored.
#include "core/cpu/fused_attention.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "core/thread_pool.h"

namespace robusta::cpu::fused {

namespace {

/** 8 floats in one AVX register (two SSE registers in the baseline clone); loads and stores go through memcpy. */
typedef float V8 __attribute__((vector_size(32)));

inline __attribute__((always_inline)) void load8(V8& v, const float* p) { std::memcpy(&v, p, sizeof v); }

/**
 * C[M, N] = op(A) B with B [K, N] row-major; op(A) = A [M, K] (row stride lda) or, TransA, Aᵀ with A stored
 * [K, M]. Full 4 x 16 tiles accumulate in eight vector registers; edges take a scalar loop. Inlined into each ISA
 * clone below.
 */
template <bool TransA>
inline __attribute__((always_inline)) void tileGemm(int64_t M, int64_t N, int64_t K, const float* A, int64_t lda,
                                                    const float* B, int64_t ldb, float* C, int64_t ldc) {
  constexpr int64_t MR = 4, NR = 16;
  auto a = [&](int64_t row, int64_t k) { return TransA ? A[k * lda + row] : A[row * lda + k]; };
  for (int64_t i = 0; i < M; i += MR) {
    const int64_t mr = std::min(MR, M - i);
    for (int64_t j = 0; j < N; j += NR) {
      const int64_t nr = std::min(NR, N - j);
      if (mr == MR && nr == NR) {
        V8 lo0 = {}, hi0 = {}, lo1 = {}, hi1 = {}, lo2 = {}, hi2 = {}, lo3 = {}, hi3 = {};
        for (int64_t k = 0; k < K; ++k) {
          V8 b0, b1;
          load8(b0, B + k * ldb + j);
          load8(b1, B + k * ldb + j + 8);
          const float a0 = a(i, k), a1 = a(i + 1, k), a2 = a(i + 2, k), a3 = a(i + 3, k);
          lo0 += a0 * b0;
          hi0 += a0 * b1;
          lo1 += a1 * b0;
          hi1 += a1 * b1;
          lo2 += a2 * b0;
          hi2 += a2 * b1;
          lo3 += a3 * b0;
          hi3 += a3 * b1;
        }
        const V8 out[8] = {lo0, hi0, lo1, hi1, lo2, hi2, lo3, hi3};
        for (int64_t r = 0; r < MR; ++r) std::memcpy(C + (i + r) * ldc + j, &out[2 * r], 2 * sizeof(V8));
        continue;
      }
      for (int64_t r = 0; r < mr; ++r) {
        for (int64_t c = 0; c < nr; ++c) {
          float acc = 0;
          for (int64_t k = 0; k < K; ++k) acc += a(i + r, k) * B[k * ldb + j + c];
          C[(i + r) * ldc + j + c] = acc;
        }
      }
    }
  }
}

ROBUSTA_FUSED_CLONES void gemmNN(int64_t M, int64_t N, int64_t K, const float* A, int64_t lda, const float* B,
                                 int64_t ldb, float* C, int64_t ldc) {
  tileGemm<false>(M, N, K, A, lda, B, ldb, C, ldc);
}

ROBUSTA_FUSED_CLONES void gemmTN(int64_t M, int64_t N, int64_t K, const float* A, int64_t lda, const float* B,
                                 int64_t ldb, float* C, int64_t ldc) {
  tileGemm<true>(M, N, K, A, lda, B, ldb, C, ldc);
}

/** Per-thread buffers, reused across calls (no fresh memory in a training step). */
struct Scratch {
  std::vector<float> kT, vT, probs, pd, dp, keep;
  void reserve(const AttentionDims& d) {
    const auto dk = static_cast<size_t>(d.D * d.Tk), qk = static_cast<size_t>(d.Tq * d.Tk);
    if (kT.size() < dk) kT.resize(dk), vT.resize(dk);
    if (probs.size() < qk) probs.resize(qk), pd.resize(qk), dp.resize(qk);
    if (keep.size() < static_cast<size_t>(d.Tk)) keep.resize(static_cast<size_t>(d.Tk));
  }
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

void transpose(const float* m, float* mT, int64_t rows, int64_t cols) {
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) mT[c * rows + r] = m[r * cols + c];
}

/** probs[i, :] = softmax(probs[i, :] * scale + mask[i, :]) in place (NaN propagates, as tfjs's softmax). */
ROBUSTA_FUSED_CLONES void softmaxRows(float* probs, const float* mask, int64_t maskRowStride, int64_t maskColStride,
                                      int64_t Tq, int64_t Tk, float scale) {
  for (int64_t i = 0; i < Tq; ++i) {
    float* p = probs + i * Tk;
    if (mask != nullptr) {
      const float* mr = mask + i * maskRowStride;
      if (maskColStride == 1) {
        for (int64_t j = 0; j < Tk; ++j) p[j] = p[j] * scale + mr[j];
      } else {
        for (int64_t j = 0; j < Tk; ++j) p[j] = p[j] * scale + mr[j * maskColStride];
      }
    } else {
      for (int64_t j = 0; j < Tk; ++j) p[j] *= scale;
    }
    float m = -std::numeric_limits<float>::infinity();
    bool nan = false;
    for (int64_t j = 0; j < Tk; ++j) {
      m = p[j] > m ? p[j] : m;
      nan |= p[j] != p[j];
    }
    if (nan) m = std::numeric_limits<float>::quiet_NaN();
    float sum = 0;
    for (int64_t j = 0; j < Tk; ++j) {
      p[j] = expFast(p[j] - m);
      sum += p[j];
    }
    const float inv = 1.0f / sum;
    for (int64_t j = 0; j < Tk; ++j) p[j] *= inv;
  }
}

/** Probabilities of one head (before dropout) into s.probs. */
void headProbs(const float* q, const float* k, const float* mask, const AttentionDims& d, float scale, Scratch& s) {
  transpose(k, s.kT.data(), d.Tk, d.D);
  gemmNN(d.Tq, d.Tk, d.D, q, d.D, s.kT.data(), d.Tk, s.probs.data(), d.Tk);
  softmaxRows(s.probs.data(), mask, d.maskStride[2], d.maskStride[3], d.Tq, d.Tk, scale);
}

/** pd = probs times the dropout multipliers of the head's rows (keep = the multipliers, row by row into dp's rows). */
void applyDropout(const Scratch& s, float* pd, float* mult, const Dropout& dropout, uint64_t first, int64_t Tq,
                  int64_t Tk) {
  for (int64_t i = 0; i < Tq; ++i) {
    dropout.multipliers(first + static_cast<uint64_t>(i * Tk), Tk, mult + i * Tk);
    for (int64_t j = 0; j < Tk; ++j) pd[i * Tk + j] = s.probs[static_cast<size_t>(i * Tk + j)] * mult[i * Tk + j];
  }
}

/** dS = P (dP - rowsum(P dP)) scale in place in dp, where dp holds dPd and mult the dropout multipliers (or null). */
ROBUSTA_FUSED_CLONES void softmaxBackwardRows(const float* probs, float* dp, const float* mult, int64_t Tq, int64_t Tk,
                                              float scale) {
  for (int64_t i = 0; i < Tq; ++i) {
    const float* p = probs + i * Tk;
    float* g = dp + i * Tk;
    if (mult != nullptr) {
      for (int64_t j = 0; j < Tk; ++j) g[j] *= mult[i * Tk + j];
    }
    double dot = 0;
    for (int64_t j = 0; j < Tk; ++j) dot += static_cast<double>(p[j]) * g[j];
    const float rd = static_cast<float>(dot);
    for (int64_t j = 0; j < Tk; ++j) g[j] = p[j] * (g[j] - rd) * scale;
  }
}

}  // namespace

void attentionForward(const float* q, const float* k, const float* v, const float* mask, float* out,
                      const AttentionDims& dims, const Dropout& dropout) {
  const int64_t heads = dims.B * dims.A;
  const int64_t Tq = dims.Tq, Tk = dims.Tk, D = dims.D;
  if (heads <= 0 || Tq <= 0 || D <= 0) return;
  const float scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(D)));  // as tfjs rounds 1/sqrt(D)
  ThreadPool::instance().parallelFor(heads, 1, [&](int64_t h0, int64_t h1) {
    Scratch& s = scratch();
    s.reserve(dims);
    for (int64_t h = h0; h < h1; ++h) {
      float* o = out + h * Tq * D;
      if (Tk == 0) {
        std::fill(o, o + Tq * D, 0.0f);
        continue;
      }
      const int64_t b = h / dims.A, a = h % dims.A;
      const float* m = mask == nullptr ? nullptr : mask + b * dims.maskStride[0] + a * dims.maskStride[1];
      headProbs(q + h * Tq * D, k + h * Tk * D, m, dims, scale, s);
      const float* p = s.probs.data();
      if (dropout.active) {
        applyDropout(s, s.pd.data(), s.dp.data(), dropout, static_cast<uint64_t>(h * Tq * Tk), Tq, Tk);
        p = s.pd.data();
      }
      gemmNN(Tq, D, Tk, p, Tk, v + h * Tk * D, D, o, D);
    }
  });
}

void attentionBackward(const float* dy, const float* q, const float* k, const float* v, const float* mask, float* dq,
                       float* dk, float* dv, const AttentionDims& dims, const Dropout& dropout) {
  const int64_t heads = dims.B * dims.A;
  const int64_t Tq = dims.Tq, Tk = dims.Tk, D = dims.D;
  if (heads <= 0 || D <= 0) return;
  const float scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(D)));
  ThreadPool::instance().parallelFor(heads, 1, [&](int64_t h0, int64_t h1) {
    Scratch& s = scratch();
    s.reserve(dims);
    // one extra [Tq, Tk] buffer for the dropout multipliers, per thread and reused
    thread_local std::vector<float> multBuf;
    if (dropout.active && multBuf.size() < static_cast<size_t>(Tq * Tk)) multBuf.resize(static_cast<size_t>(Tq * Tk));
    for (int64_t h = h0; h < h1; ++h) {
      float* dqh = dq + h * Tq * D;
      float* dkh = dk + h * Tk * D;
      float* dvh = dv + h * Tk * D;
      if (Tk == 0 || Tq == 0) {
        std::fill(dqh, dqh + Tq * D, 0.0f);
        std::fill(dkh, dkh + Tk * D, 0.0f);
        std::fill(dvh, dvh + Tk * D, 0.0f);
        continue;
      }
      const int64_t b = h / dims.A, a = h % dims.A;
      const float* m = mask == nullptr ? nullptr : mask + b * dims.maskStride[0] + a * dims.maskStride[1];
      const float* qh = q + h * Tq * D;
      const float* kh = k + h * Tk * D;
      const float* dyh = dy + h * Tq * D;
      headProbs(qh, kh, m, dims, scale, s);
      const float* pd = s.probs.data();
      const float* mult = nullptr;
      if (dropout.active) {
        applyDropout(s, s.pd.data(), multBuf.data(), dropout, static_cast<uint64_t>(h * Tq * Tk), Tq, Tk);
        pd = s.pd.data();
        mult = multBuf.data();
      }
      transpose(v + h * Tk * D, s.vT.data(), Tk, D);
      gemmNN(Tq, Tk, D, dyh, D, s.vT.data(), Tk, s.dp.data(), Tk);  // dPd = dY Vᵀ
      gemmTN(Tk, D, Tq, pd, Tk, dyh, D, dvh, D);                       // dV = Pdᵀ dY
      softmaxBackwardRows(s.probs.data(), s.dp.data(), mult, Tq, Tk, scale);
      gemmNN(Tq, D, Tk, s.dp.data(), Tk, kh, D, dqh, D);  // dQ = dS K
      gemmTN(Tk, D, Tq, s.dp.data(), Tk, qh, D, dkh, D);  // dK = dSᵀ Q
    }
  });
}

}  // namespace robusta::cpu::fused
