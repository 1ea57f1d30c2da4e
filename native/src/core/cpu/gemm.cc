// Our blocked GEMM (see gemm.h): packing, cache blocking, threads, broadcast batches, the fused epilogue; and the
// OpenBLAS path (loaded at run time, see openblas.h). The register-tile micro-kernels live in gemm_avx512.cc and
// gemm_avx2.cc (x86-64 builds only) and below (generic, the only one on other architectures).
//
// Loop nest per matrix (BLIS order): columns in NC blocks -> depth in KC blocks (pack op(B) once, shared by all
// threads) -> rows in MC blocks (pack op(A) per thread) -> NR-wide micro-panels of B (kept in L1) -> MR-tall
// micro-panels of A (streamed from L2) -> micro-kernel. Threads split the (row block x column group) grid; many
// small matrices (attention) are instead split by batch, each thread running whole matrices.
#include "core/cpu/gemm.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "core/cpu/gemm_kernels.h"
#include "core/cpu/isa.h"
#include "core/cpu/openblas.h"
#include "core/error.h"
#include "core/thread_pool.h"

namespace robusta::cpu {

namespace gemm_detail {

namespace {

constexpr int kGenericMR = 4;
constexpr int kGenericNR = 16;

/** The portable tile: plain loops the compiler vectorizes for the baseline ISA. */
void genericF32(int64_t kc, const float* A, const float* B, float* C, int64_t ldc, bool accumulate) {
  float c[kGenericMR][kGenericNR] = {};
  for (int64_t k = 0; k < kc; ++k) {
    for (int i = 0; i < kGenericMR; ++i) {
      const float a = A[i];
      for (int j = 0; j < kGenericNR; ++j) c[i][j] += a * B[j];
    }
    A += kGenericMR;
    B += kGenericNR;
  }
  for (int i = 0; i < kGenericMR; ++i) {
    float* row = C + i * ldc;
    for (int j = 0; j < kGenericNR; ++j) row[j] = accumulate ? row[j] + c[i][j] : c[i][j];
  }
}

}  // namespace

KernelSet genericKernels() { return {"generic", kGenericMR, kGenericNR, genericF32, nullptr}; }

}  // namespace gemm_detail

using gemm_detail::KernelSet;

namespace {

// ---- settings and CPU detection ----

std::atomic<int> gImplOverride{-1};  // -1: read ROBUSTA_GEMM at each call
std::atomic<int> gIsa{static_cast<int>(GemmIsa::Auto)};
// bf16 method: -1 by CPU (the default), 0 vdpbf16ps, 1 inputs rounded while packing + the fp32 FMA kernel.
// By CPU means vdpbf16ps on AMD, where it is the faster of the two, and rounded fp32 elsewhere, where vdpbf16ps is
// slower (README.md has the measurements). A vendor rule rather than a timing at start-up, so a machine always gets
// the same numerics.
std::atomic<int> gBf16Mode{-1};

bool bf16Emulated() {
  const int mode = gBf16Mode.load();
  if (mode >= 0) return mode == 1;
  return !cpuIsAmd();
}

bool haveOpenBlas() { return openblas::status().available; }

GemmImpl effectiveImpl() {
  int o = gImplOverride.load();
  GemmImpl impl = GemmImpl::Auto;
  if (o >= 0) {
    impl = static_cast<GemmImpl>(o);
  } else if (const char* env = std::getenv("ROBUSTA_GEMM"); env && *env) {
    std::string v(env);
    if (v == "own") impl = GemmImpl::Own;
    else if (v == "openblas") impl = GemmImpl::OpenBLAS;
    else if (v != "auto") throw Error("ROBUSTA_GEMM must be 'own', 'openblas' or 'auto', got '" + v + "'");
  }
  if (impl == GemmImpl::OpenBLAS && !haveOpenBlas()) {
    throw Error("ROBUSTA_GEMM=openblas, but OpenBLAS is not loaded: " + openblas::status().detail);
  }
  if (impl == GemmImpl::Auto) impl = haveOpenBlas() ? GemmImpl::OpenBLAS : GemmImpl::Own;
  return impl;
}

KernelSet activeKernels() {
  auto isa = static_cast<GemmIsa>(gIsa.load());
  if (isa == GemmIsa::Auto) isa = cpuAvx512() ? GemmIsa::Avx512 : cpuAvx2Fma() ? GemmIsa::Avx2 : GemmIsa::Generic;
  switch (isa) {
#if ROBUSTA_X86_64  // elsewhere setGemmIsa refuses both, and gemm_avx*.cc are empty
    case GemmIsa::Avx512: return gemm_detail::avx512Kernels(cpuAvx512Bf16() && !bf16Emulated());
    case GemmIsa::Avx2: return gemm_detail::avx2Kernels();
#endif
    default: return gemm_detail::genericKernels();
  }
}

// ---- bf16 rounding ----

inline uint32_t bf16Bits(float x) {
  uint32_t u;
  std::memcpy(&u, &x, 4);
  if ((u & 0x7fffffffu) > 0x7f800000u) return (u >> 16) | 0x40u;  // NaN: keep it a (quiet) NaN
  u += 0x7fffu + ((u >> 16) & 1u);                                   // round to nearest, ties to even
  return u >> 16;
}

inline float bf16Float(float x) {
  uint32_t b = bf16Bits(x) << 16;
  float f;
  std::memcpy(&f, &b, 4);
  return f;
}

// ---- packing ----

enum class PackMode { F32, RoundedF32, Bf16Pairs };

/**
 * Packs `lanes` valid lanes (rows of op(A) or columns of op(B)) of depth kc into one micro-panel of LANES lanes,
 * zero-padded. Element (lane l, depth k) is src[l * laneStride + k * kStride].
 */
void packPanel(const float* src, int64_t laneStride, int64_t kStride, int lanes, int LANES, int64_t kc, PackMode mode,
               void* dstv) {
  if (mode == PackMode::Bf16Pairs) {
    auto* dst = static_cast<uint32_t*>(dstv);
    const int64_t kc2 = (kc + 1) / 2;
    for (int64_t kk = 0; kk < kc2; ++kk) {
      const int64_t k = 2 * kk;
      const bool hasHi = k + 1 < kc;
      uint32_t* d = dst + kk * LANES;
      for (int l = 0; l < lanes; ++l) {
        const float* s = src + l * laneStride + k * kStride;
        d[l] = bf16Bits(s[0]) | (hasHi ? bf16Bits(s[kStride]) << 16 : 0u);
      }
      for (int l = lanes; l < LANES; ++l) d[l] = 0;
    }
    return;
  }
  auto* dst = static_cast<float*>(dstv);
  const bool round = mode == PackMode::RoundedF32;
  if (laneStride == 1) {  // lanes contiguous in memory: copy rows of the panel
    for (int64_t k = 0; k < kc; ++k) {
      const float* s = src + k * kStride;
      float* d = dst + k * LANES;
      if (round) {
        for (int l = 0; l < lanes; ++l) d[l] = bf16Float(s[l]);
      } else {
        for (int l = 0; l < lanes; ++l) d[l] = s[l];
      }
      for (int l = lanes; l < LANES; ++l) d[l] = 0;
    }
  } else {  // depth contiguous: transpose lane by lane
    for (int l = 0; l < lanes; ++l) {
      const float* s = src + l * laneStride;
      float* d = dst + l;
      if (round) {
        for (int64_t k = 0; k < kc; ++k) d[k * LANES] = bf16Float(s[k * kStride]);
      } else {
        for (int64_t k = 0; k < kc; ++k) d[k * LANES] = s[k * kStride];
      }
    }
    for (int l = lanes; l < LANES; ++l)
      for (int64_t k = 0; k < kc; ++k) dst[k * LANES + l] = 0;
  }
}

// ---- epilogue ----

void applyEpilogue(const Epilogue& e, int64_t b, float* C, int64_t ldc, int64_t m0, int64_t rows, int64_t n0,
                   int64_t cols) {
  for (int64_t r = 0; r < rows; ++r) {
    float* row = C + r * ldc;
    if (e.bias) {
      const float* bp = e.bias + e.biasBatchOffset[b] + (m0 + r) * e.biasRowStride + n0 * e.biasColStride;
      const int64_t cs = e.biasColStride;
      for (int64_t c = 0; c < cols; ++c) row[c] += bp[c * cs];
    }
    switch (e.act) {
      case Activation::Relu:
        for (int64_t c = 0; c < cols; ++c) row[c] = row[c] < 0 ? 0.0f : row[c];
        break;
      case Activation::Relu6:
        for (int64_t c = 0; c < cols; ++c) row[c] = row[c] < 0 ? 0.0f : (row[c] > 6 ? 6.0f : row[c]);
        break;
      case Activation::Elu:
        for (int64_t c = 0; c < cols; ++c) row[c] = row[c] >= 0 ? row[c] : static_cast<float>(std::exp(double(row[c])) - 1.0);
        break;
      case Activation::LeakyRelu:
        for (int64_t c = 0; c < cols; ++c) row[c] = row[c] < 0 ? static_cast<float>(e.alpha * row[c]) : row[c];
        break;
      case Activation::Sigmoid:
        for (int64_t c = 0; c < cols; ++c) row[c] = static_cast<float>(1.0 / (1.0 + std::exp(-double(row[c]))));
        break;
      case Activation::Prelu: {
        const float* pp = e.prelu + e.preluBatchOffset[b] + (m0 + r) * e.preluRowStride + n0 * e.preluColStride;
        const int64_t cs = e.preluColStride;
        for (int64_t c = 0; c < cols; ++c) row[c] = row[c] < 0 ? pp[c * cs] * row[c] : row[c];
        break;
      }
      default: break;
    }
  }
}

// ---- workspace: packing buffers owned by the calling thread, lent to pool threads by slot ----

struct AlignedBuffer {
  float* p = nullptr;
  size_t cap = 0;  // floats
  ~AlignedBuffer() { std::free(p); }
  float* get(size_t floats) {
    if (floats > cap) {
      std::free(p);
      p = nullptr;
      cap = 0;
      size_t bytes = (floats * sizeof(float) + 63) / 64 * 64;
      p = static_cast<float*>(std::aligned_alloc(64, bytes));
      if (!p) throw Error("gemm: out of memory allocating " + std::to_string(bytes) + " bytes of packing buffers");
      cap = floats;
    }
    return p;
  }
};

thread_local AlignedBuffer tlsA, tlsB;

constexpr int kMaxSlots = 256;

/** Hands each running chunk a private buffer: at most pool-size chunks run at once, so `n` slots suffice. */
struct Slots {
  float* base;
  size_t floats;  // per slot
  int n;
  std::atomic<bool> busy[kMaxSlots];
  Slots(float* b, size_t f, int count) : base(b), floats(f), n(count) {
    for (int i = 0; i < n; ++i) busy[i].store(false);
  }
  int acquire() {
    for (;;)
      for (int i = 0; i < n; ++i)
        if (!busy[i].exchange(true, std::memory_order_acquire)) return i;
  }
  void release(int i) { busy[i].store(false, std::memory_order_release); }
  float* at(int i) const { return base + i * floats; }
};

// ---- one matrix ----

struct Plan {
  KernelSet ks;
  bool bf16Native;  // packed bf16 pairs, vdpbf16ps kernel
  PackMode mode;
  int64_t MC, KC, NC;  // KC in depth elements
  const Epilogue* ep;
  bool hasEpilogue;
};

struct Mat {
  const float* A;
  const float* B;
  float* C;
  int64_t M, N, K;
  bool tA, tB;
  int64_t batchIdx;
};

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

template <typename F>
void forRange(bool parallel, int64_t n, const F& f) {
  if (parallel && n > 1) {
    ThreadPool::instance().parallelFor(n, 1, f);
  } else if (n > 0) {
    f(0, n);
  }
}

/** The i-th of `parts` near-equal pieces of [0, n). */
inline int64_t splitAt(int64_t n, int64_t parts, int64_t i) { return n * i / parts; }

/**
 * C = op(A) op(B) (+ epilogue) for one matrix. All of op(B)'s column block is packed first (shared by every task),
 * then tasks (row range x column group) each walk the depth blocks, packing their rows of op(A) into a private
 * buffer. parallel: tasks run on the pool and take A buffers from `aSlots`; serial: `serialA` is used.
 */
void runMatrix(const Plan& p, const Mat& m, float* bufB, Slots* aSlots, float* serialA, bool parallel) {
  const int MR = p.ks.mr, NR = p.ks.nr;
  const int64_t lda = m.tA ? m.M : m.K, ldb = m.tB ? m.K : m.N;
  // element strides of op(A) (lane = row) and op(B) (lane = column)
  const int64_t aLane = m.tA ? 1 : lda, aK = m.tA ? lda : 1;
  const int64_t bLane = m.tB ? ldb : 1, bK = m.tB ? 1 : ldb;
  const int64_t nPc = ceilDiv(m.K, p.KC);
  const int64_t unitsFull = p.bf16Native ? p.KC / 2 : p.KC;
  auto unitsOf = [&](int64_t kc) { return p.bf16Native ? (kc + 1) / 2 : kc; };
  const int threads = parallel ? ThreadPool::instance().size() : 1;
  const int64_t nRowPanels = ceilDiv(m.M, MR);
  for (int64_t jc = 0; jc < m.N; jc += p.NC) {
    const int64_t nc = std::min(p.NC, m.N - jc);
    const int64_t nPanels = ceilDiv(nc, NR);
    const int64_t blockStride = unitsFull * nPanels * NR;  // floats per packed depth block of B
    forRange(parallel, nPc * nPanels, [&](int64_t t0, int64_t t1) {
      for (int64_t t = t0; t < t1; ++t) {
        const int64_t q = t / nPanels, jp = t % nPanels;
        const int64_t pc = q * p.KC, kc = std::min(p.KC, m.K - pc), j = jc + jp * NR;
        packPanel(m.B + j * bLane + pc * bK, bLane, bK, int(std::min<int64_t>(NR, m.N - j)), NR, kc, p.mode,
                  bufB + q * blockStride + jp * unitsOf(kc) * NR);
      }
    });
    // column groups keep a task's slice of packed B (per depth block) within L2; row ranges feed the threads,
    // in a multiple of the thread count so every thread gets the same share
    int64_t G = std::clamp<int64_t>(ceilDiv(nc, 1024), 1, nPanels);
    int64_t R = 1;
    if (parallel) {
      R = std::max<int64_t>(1, 4 * threads / G);
      while (R > 1 && (R * G) % threads != 0) --R;
      R = std::min(R, nRowPanels);
      if (R * G < 2 * threads) G = std::min(nPanels, ceilDiv(4 * threads, R));
    }
    forRange(parallel, R * G, [&](int64_t t0, int64_t t1) {
      int slot = -1;
      float* bufA = serialA;
      if (aSlots) {
        slot = aSlots->acquire();
        bufA = aSlots->at(slot);
      }
      alignas(64) float tmp[16 * 64];
      for (int64_t t = t0; t < t1; ++t) {
        const int64_t r = t / G, gi = t % G;
        const int64_t row0 = splitAt(nRowPanels, R, r) * MR, row1 = std::min(m.M, splitAt(nRowPanels, R, r + 1) * MR);
        const int64_t jp0 = splitAt(nPanels, G, gi), jp1 = splitAt(nPanels, G, gi + 1);
        // row blocks outside, depth inside: the C block (MC x group columns) stays in L2 across depth blocks
        for (int64_t ic = row0; ic < row1; ic += p.MC) {
          const int64_t mc = std::min(p.MC, row1 - ic);
          const int64_t nIp = ceilDiv(mc, MR);
          for (int64_t q = 0; q < nPc; ++q) {
            const int64_t pc = q * p.KC, kc = std::min(p.KC, m.K - pc), units = unitsOf(kc);
            const bool first = q == 0, last = q == nPc - 1;
            for (int64_t ip = 0; ip < nIp; ++ip) {
              const int64_t i = ic + ip * MR;
              packPanel(m.A + i * aLane + pc * aK, aLane, aK, int(std::min<int64_t>(MR, m.M - i)), MR, kc, p.mode,
                        bufA + ip * units * MR);
            }
            for (int64_t jp = jp0; jp < jp1; ++jp) {
              const int64_t j = jc + jp * NR;
              const int64_t nr = std::min<int64_t>(NR, m.N - j);
              const float* bp = bufB + q * blockStride + jp * units * NR;
              for (int64_t ip = 0; ip < nIp; ++ip) {
                const int64_t i = ic + ip * MR;
                const int64_t mr = std::min<int64_t>(MR, m.M - i);
                const float* ap = bufA + ip * units * MR;
                float* c = m.C + i * m.N + j;
                const bool full = mr == MR && nr == NR;
                float* out = full ? c : tmp;
                const int64_t ldo = full ? m.N : NR;
                if (p.bf16Native) {
                  p.ks.bf16(units, reinterpret_cast<const uint32_t*>(ap), reinterpret_cast<const uint32_t*>(bp), out,
                            ldo, full && !first);
                } else {
                  p.ks.f32(units, ap, bp, out, ldo, full && !first);
                }
                if (!full) {
                  for (int64_t y = 0; y < mr; ++y)
                    for (int64_t x = 0; x < nr; ++x)
                      c[y * m.N + x] = first ? tmp[y * NR + x] : c[y * m.N + x] + tmp[y * NR + x];
                }
                if (last && p.hasEpilogue) applyEpilogue(*p.ep, m.batchIdx, c, m.N, i, mr, j, nr);
              }
            }
          }
        }
      }
      if (aSlots) aSlots->release(slot);
    });
  }
}

}  // namespace

// ---- public API ----

float roundToBf16(float x) { return bf16Float(x); }

void setGemmImpl(GemmImpl impl) {
  if (impl == GemmImpl::OpenBLAS && !haveOpenBlas()) {
    throw Error("setGemmImpl: OpenBLAS is not loaded: " + openblas::status().detail);
  }
  gImplOverride.store(static_cast<int>(impl));
}

GemmImpl gemmImpl() { return effectiveImpl(); }

void setGemmIsa(GemmIsa isa) {
  if (isa == GemmIsa::Avx512 && !cpuAvx512()) throw Error("setGemmIsa: this CPU has no AVX-512 (F, BW, VL, DQ)");
  if (isa == GemmIsa::Avx2 && !cpuAvx2Fma()) throw Error("setGemmIsa: this CPU has no AVX2 + FMA");
  gIsa.store(static_cast<int>(isa));
}

void setGemmBf16Emulation(bool emulate) { gBf16Mode.store(emulate ? 1 : 0); }

void setGemmBf16ByCpu() { gBf16Mode.store(-1); }

GemmInfo gemmInfo() {
  GemmInfo info;
  info.impl = effectiveImpl() == GemmImpl::OpenBLAS ? "openblas" : "own";
  KernelSet ks = activeKernels();
  info.isa = ks.name;
  info.bf16 = ks.bf16 ? "avx512bf16" : "emulated";
  info.openblas = haveOpenBlas();
  info.openblasDetail = openblas::status().detail;
  return info;
}

void gemm(const GemmBatch& g) {
  if (g.batch <= 0 || g.M <= 0 || g.N <= 0) return;
  const Epilogue& ep = g.epilogue;
  const bool hasEpilogue = !ep.empty();
  auto aAt = [&](int64_t b) { return g.A + (g.aOffset ? g.aOffset[b] : b * g.M * g.K); };
  auto bAt = [&](int64_t b) { return g.B + (g.bOffset ? g.bOffset[b] : b * g.K * g.N); };
  ThreadPool& pool = ThreadPool::instance();
  const int threads = pool.size();
  const double flops = 2.0 * double(g.M) * double(g.N) * double(g.K);
  const bool worthThreads = threads > 1 && flops * double(g.batch) >= 2e6;

  if (g.K == 0) {  // an empty sum: zeros, then bias and activation
    for (int64_t b = 0; b < g.batch; ++b) {
      float* c = g.C + b * g.M * g.N;
      std::fill(c, c + g.M * g.N, 0.0f);
      if (hasEpilogue) applyEpilogue(ep, b, c, g.N, 0, g.M, 0, g.N);
    }
    return;
  }

  const GemmImpl impl = g.precision == GemmPrecision::BF16 ? GemmImpl::Own : effectiveImpl();
  if (impl == GemmImpl::OpenBLAS) {
    const auto sgemm = openblas::api().sgemm;
    const int ta = g.transA ? openblas::kTrans : openblas::kNoTrans, tb = g.transB ? openblas::kTrans : openblas::kNoTrans;
    // OpenBLAS threads each call itself; batches run one after another
    for (int64_t b = 0; b < g.batch; ++b) {
      sgemm(openblas::kRowMajor, ta, tb, int(g.M), int(g.N), int(g.K), 1.0f, aAt(b), int(g.transA ? g.M : g.K),
            bAt(b), int(g.transB ? g.K : g.N), 0.0f, g.C + b * g.M * g.N, int(g.N));
    }
    if (hasEpilogue) {
      const int64_t rows = g.batch * g.M;
      forRange(worthThreads, std::min<int64_t>(rows, 4 * threads), [&](int64_t t0, int64_t t1) {
        const int64_t r0 = rows * t0 / std::min<int64_t>(rows, 4 * threads);
        const int64_t r1 = rows * t1 / std::min<int64_t>(rows, 4 * threads);
        for (int64_t r = r0; r < r1; ++r) {
          const int64_t b = r / g.M, m = r % g.M;
          applyEpilogue(ep, b, g.C + r * g.N, g.N, m, 1, 0, g.N);
        }
      });
    }
    return;
  }

  Plan p;
  p.ks = activeKernels();
  const bool bf16 = g.precision == GemmPrecision::BF16;
  p.bf16Native = bf16 && p.ks.bf16 != nullptr;
  p.mode = p.bf16Native ? PackMode::Bf16Pairs : bf16 ? PackMode::RoundedF32 : PackMode::F32;
  p.KC = p.bf16Native ? 512 : 256;
  p.MC = ceilDiv(192, p.ks.mr) * p.ks.mr;
  p.NC = 4096;
  p.ep = &ep;
  p.hasEpilogue = hasEpilogue;

  const int64_t ncPad = std::min(p.NC, ceilDiv(g.N, p.ks.nr) * p.ks.nr);
  // all depth blocks of one column block of op(B); a bf16 block (KC/2 words per lane) fits in the fp32 size
  const size_t bFloats = size_t(ceilDiv(g.K, p.KC) * p.KC) * size_t(ncPad);
  const size_t aFloats = size_t(p.MC) * size_t(p.KC);
  const int slots = std::min(threads, kMaxSlots);
  // many matrices: whole matrices per thread (no synchronisation inside one)
  const bool byBatch = worthThreads && g.batch >= threads && (g.batch % threads == 0 || g.batch >= 4 * threads);
  auto mat = [&](int64_t b) {
    return Mat{aAt(b), bAt(b), g.C + b * g.M * g.N, g.M, g.N, g.K, g.transA, g.transB, b};
  };
  if (byBatch) {
    float* aBase = tlsA.get(aFloats * slots);
    float* bBase = tlsB.get(bFloats * slots);
    Slots aSlots(aBase, aFloats, slots);
    pool.parallelFor(g.batch, 1, [&](int64_t b0, int64_t b1) {
      int s = aSlots.acquire();  // the same slot index owns a B buffer too
      for (int64_t b = b0; b < b1; ++b) runMatrix(p, mat(b), bBase + s * bFloats, nullptr, aSlots.at(s), false);
      aSlots.release(s);
    });
  } else {
    float* aBase = tlsA.get(aFloats * slots);
    float* bBuf = tlsB.get(bFloats);
    Slots aSlots(aBase, aFloats, slots);
    for (int64_t b = 0; b < g.batch; ++b) {
      runMatrix(p, mat(b), bBuf, worthThreads ? &aSlots : nullptr, aBase, worthThreads);
    }
  }
}

// ---- shapes ----

MatMulPlan planMatMul(const Shape& a, const Shape& b, bool transA, bool transB) {
  auto desc = [&] {
    return "A " + shapeString(a) + (transA ? " (transposed)" : "") + " and B " + shapeString(b) +
           (transB ? " (transposed)" : "");
  };
  if (a.size() < 2 || b.size() < 2) throw Error("matMul: both operands need rank >= 2, got " + desc());
  const size_t ra = a.size(), rb = b.size();
  MatMulPlan plan;
  plan.M = transA ? a[ra - 1] : a[ra - 2];
  const int64_t ka = transA ? a[ra - 2] : a[ra - 1];
  const int64_t kb = transB ? b[rb - 1] : b[rb - 2];
  plan.N = transB ? b[rb - 2] : b[rb - 1];
  plan.K = ka;
  if (ka != kb) {
    throw Error("matMul: inner dimensions differ: " + desc() + " give K = " + std::to_string(ka) + " for A and " +
                std::to_string(kb) + " for B");
  }
  const Shape ba(a.begin(), a.end() - 2), bb(b.begin(), b.end() - 2);
  try {
    plan.batchShape = broadcastShapes(ba, bb);
  } catch (const Error&) {
    throw Error("matMul: batch dimensions of " + desc() + " do not broadcast");
  }
  plan.batch = numel(plan.batchShape);
  plan.outShape = plan.batchShape;
  plan.outShape.push_back(plan.M);
  plan.outShape.push_back(plan.N);
  if (ba != plan.batchShape || bb != plan.batchShape) {
    const auto sa = broadcastStrides(ba, plan.batchShape), sb = broadcastStrides(bb, plan.batchShape);
    plan.aOffset.resize(size_t(plan.batch));
    plan.bOffset.resize(size_t(plan.batch));
    const size_t rank = plan.batchShape.size();
    std::vector<int64_t> idx(rank, 0);
    for (int64_t i = 0; i < plan.batch; ++i) {
      int64_t oa = 0, ob = 0;
      for (size_t d = 0; d < rank; ++d) {
        oa += idx[d] * sa[d];
        ob += idx[d] * sb[d];
      }
      plan.aOffset[size_t(i)] = oa * plan.M * plan.K;
      plan.bOffset[size_t(i)] = ob * plan.K * plan.N;
      for (size_t d = rank; d-- > 0;) {
        if (++idx[d] < plan.batchShape[d]) break;
        idx[d] = 0;
      }
    }
  }
  return plan;
}

BroadcastOperand broadcastOperand(const Shape& shape, const Shape& batchShape, int64_t M, int64_t N, const char* what) {
  Shape full = batchShape;
  full.push_back(M);
  full.push_back(N);
  bool ok = shape.size() <= full.size();
  if (ok) {
    try {
      ok = broadcastShapes(shape, full) == full;
    } catch (const Error&) {
      ok = false;
    }
  }
  if (!ok) {
    throw Error(std::string(what) + " of shape " + shapeString(shape) + " does not broadcast to the matMul output " +
                shapeString(full));
  }
  const auto strides = broadcastStrides(shape, full);
  const size_t rank = full.size();
  BroadcastOperand op;
  op.rowStride = strides[rank - 2];
  op.colStride = strides[rank - 1];
  const int64_t batch = numel(batchShape);
  op.batchOffset.resize(size_t(batch));
  std::vector<int64_t> idx(batchShape.size(), 0);
  for (int64_t i = 0; i < batch; ++i) {
    int64_t o = 0;
    for (size_t d = 0; d < idx.size(); ++d) o += idx[d] * strides[d];
    op.batchOffset[size_t(i)] = o;
    for (size_t d = idx.size(); d-- > 0;) {
      if (++idx[d] < batchShape[d]) break;
      idx[d] = 0;
    }
  }
  return op;
}

}  // namespace robusta::cpu
