// Our GEMM (every micro-kernel this CPU has, and OpenBLAS when it loads) against a float64 reference on edge shapes:
// M, N or K of 1, sizes that are no multiple of any tile, K = 0, all four transposes, broadcast batches, the fused
// bias + activation epilogue and the bf16 input rounding. Outputs start as NaN so an unwritten element cannot pass.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "core/cpu/gemm.h"
#include "core/cpu/isa.h"
#include "core/cpu/openblas.h"
#include "core/error.h"
#include "core/tests/harness.h"

namespace {

using namespace robusta::cpu;
using robusta::test::fail;

/** The CPU's feature flags from /proc/cpuinfo (independent of the __builtin_cpu_supports the kernels use). */
bool cpuFlag(const std::string& flag) {
  static const std::vector<std::string> flags = [] {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    std::vector<std::string> out;
    while (std::getline(in, line)) {
      if (line.rfind("flags", 0) != 0) continue;
      std::istringstream words(line.substr(line.find(':') + 1));
      for (std::string w; words >> w;) out.push_back(w);
      break;
    }
    return out;
  }();
  return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

struct Variant {
  const char* name;
  GemmImpl impl;
  GemmIsa isa;
};

/** Every implementation this build and CPU can run; an ISA the CPU lacks must be refused (checked here). */
std::vector<Variant> variants() {
  std::vector<Variant> out{{"own generic", GemmImpl::Own, GemmIsa::Generic}};
  // x86 flags count in an x86-64 build only: elsewhere /proc/cpuinfo may be the emulating host's (qemu-user)
  const bool x86 = ROBUSTA_X86_64;
  const bool avx2 = x86 && cpuFlag("avx2") && cpuFlag("fma");
  const bool avx512 =
      x86 && cpuFlag("avx512f") && cpuFlag("avx512bw") && cpuFlag("avx512vl") && cpuFlag("avx512dq");
  using Candidate = std::tuple<GemmIsa, bool, const char*>;
  const Candidate candidates[] = {{GemmIsa::Avx2, avx2, "own avx2"}, {GemmIsa::Avx512, avx512, "own avx512"}};
  for (auto [isa, has, name] : candidates) {
    if (has) {
      out.push_back({name, GemmImpl::Own, isa});
      continue;
    }
    try {
      setGemmIsa(isa);
    } catch (const robusta::Error&) {
      continue;  // refused, as it must be on a CPU without the flags
    }
    setGemmIsa(GemmIsa::Auto);
    fail(name, ": accepted on a CPU whose /proc/cpuinfo lacks its flags");
  }
  if (openblas::status().available) out.push_back({"OpenBLAS", GemmImpl::OpenBLAS, GemmIsa::Auto});
  return out;
}

/** Restores the global GEMM switches when a case ends, passed or failed. */
struct RestoreGemm {
  ~RestoreGemm() {
    setGemmImpl(GemmImpl::Auto);
    setGemmIsa(GemmIsa::Auto);
    setGemmBf16ByCpu();
  }
};

std::vector<float> uniform(size_t n, uint32_t seed, float lo = -1, float hi = 1) {
  std::mt19937 g(seed);
  std::uniform_real_distribution<float> d(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = d(g);
  return v;
}

struct Product {
  std::vector<double> values, absSum;  // absSum: sum over k of |a||b|, the scale of the rounding bound
};

/** float64 C[b] = op(A[b]) op(B[b]) + bias, then the activation (Relu or none), for dense batches. */
Product reference(const GemmBatch& g, const std::vector<float>& A, const std::vector<float>& B,
                  const std::vector<int64_t>& aOff, const std::vector<int64_t>& bOff, float (*round)(float) = nullptr) {
  Product p;
  p.values.assign(size_t(g.batch * g.M * g.N), 0);
  p.absSum.assign(p.values.size(), 0);
  for (int64_t b = 0; b < g.batch; ++b)
    for (int64_t m = 0; m < g.M; ++m)
      for (int64_t n = 0; n < g.N; ++n) {
        double s = 0, abs = 0;
        for (int64_t k = 0; k < g.K; ++k) {
          float x = A[size_t(aOff[size_t(b)] + (g.transA ? k * g.M + m : m * g.K + k))];
          float y = B[size_t(bOff[size_t(b)] + (g.transB ? n * g.K + k : k * g.N + n))];
          if (round) x = round(x), y = round(y);
          s += double(x) * double(y);
          abs += std::fabs(double(x) * double(y));
        }
        const size_t i = size_t((b * g.M + m) * g.N + n);
        p.values[i] = s;
        p.absSum[i] = abs;
      }
  return p;
}

/** |got - want| <= (K + 2) 2^-24 (sum |a||b| + |extra|) element by element: the worst case of an fp32 dot product. */
void expectNear(const std::vector<float>& got, const Product& want, int64_t K, const std::string& what,
                const std::vector<double>* extra = nullptr) {
  const double unit = double(K + 2) * std::ldexp(1.0, -24);
  for (size_t i = 0; i < want.values.size(); ++i) {
    const double tol = unit * (want.absSum[i] + (extra ? std::fabs((*extra)[i]) : 0)) + 1e-30;
    if (!(std::fabs(double(got[i]) - want.values[i]) <= tol))
      fail(what, ": index ", i, ": got ", got[i], ", want ", want.values[i], " (tolerance ", tol, ")");
  }
}

std::string label(const Variant& v, int64_t batch, int64_t M, int64_t N, int64_t K, bool tA, bool tB) {
  std::ostringstream s;
  s << v.name << " batch " << batch << " M " << M << " N " << N << " K " << K;
  s << (tA ? " A^T" : "") << (tB ? " B^T" : "");
  return s.str();
}

ROBUSTA_TEST(gemm, edge_shapes_and_transposes_equal_float64) {
  RestoreGemm restore;
  // {M, N, K}: ones, tile edges (no micro-kernel's MR/NR divides 13, 31, 53), two depth blocks, several column
  // groups, products large enough to be split across threads, and empty sums
  const int64_t shapes[][3] = {{1, 1, 1},  {1, 37, 53}, {53, 1, 37},  {13, 17, 1},  {13, 31, 33},
                               {29, 71, 300}, {67, 1100, 45}, {4, 3, 0},  {1, 1, 0}};
  uint32_t seed = 1;
  for (const Variant& v : variants()) {
    setGemmImpl(v.impl);
    setGemmIsa(v.isa);
    for (const auto& s : shapes)
      for (int t = 0; t < 4; ++t) {
        GemmBatch g;
        g.M = s[0], g.N = s[1], g.K = s[2];
        g.transA = t & 1, g.transB = t & 2;
        const auto A = uniform(size_t(g.M * g.K), seed++);
        const auto B = uniform(size_t(g.K * g.N), seed++);
        std::vector<float> C(size_t(g.M * g.N), NAN);
        g.A = A.data(), g.B = B.data(), g.C = C.data();
        gemm(g);
        expectNear(C, reference(g, A, B, {0}, {0}), g.K, label(v, 1, g.M, g.N, g.K, g.transA, g.transB));
      }
  }
}

ROBUSTA_TEST(gemm, empty_outputs_write_nothing) {
  RestoreGemm restore;
  for (const Variant& v : variants()) {
    setGemmImpl(v.impl);
    setGemmIsa(v.isa);
    const int64_t shapes[][3] = {{0, 5, 3}, {3, 0, 5}};
    for (const auto& s : shapes) {
      const auto A = uniform(64, 7), B = uniform(64, 8);
      std::vector<float> C(8, 42.0f);  // a guard region: gemm of an empty output must leave it untouched
      GemmBatch g;
      g.M = s[0], g.N = s[1], g.K = s[2];
      g.A = A.data(), g.B = B.data(), g.C = C.data();
      gemm(g);
      for (float c : C)
        if (c != 42.0f) fail(label(v, 1, g.M, g.N, g.K, false, false), ": wrote into an empty output");
    }
  }
}

ROBUSTA_TEST(gemm, broadcast_batches_read_the_planned_matrices) {
  RestoreGemm restore;
  for (const Variant& v : variants()) {
    setGemmImpl(v.impl);
    setGemmIsa(v.isa);
    const MatMulPlan plan = planMatMul({2, 1, 13, 9}, {1, 3, 9, 17}, false, false);
    const auto A = uniform(2 * 13 * 9, 11), B = uniform(3 * 9 * 17, 12);
    std::vector<float> C(size_t(plan.batch * plan.M * plan.N), NAN);
    GemmBatch g;
    g.batch = plan.batch, g.M = plan.M, g.N = plan.N, g.K = plan.K;
    g.A = A.data(), g.B = B.data(), g.C = C.data();
    g.aOffset = plan.aOffset.data(), g.bOffset = plan.bOffset.data();
    gemm(g);
    expectNear(C, reference(g, A, B, plan.aOffset, plan.bOffset), g.K, label(v, g.batch, g.M, g.N, g.K, false, false));
  }
}

ROBUSTA_TEST(gemm, bias_and_relu_epilogue_runs_once_after_the_last_depth_block) {
  RestoreGemm restore;
  const int64_t shapes[][3] = {{29, 71, 300}, {13, 31, 33}, {4, 3, 0}};
  for (const Variant& v : variants()) {
    setGemmImpl(v.impl);
    setGemmIsa(v.isa);
    for (const auto& s : shapes) {
      GemmBatch g;
      g.M = s[0], g.N = s[1], g.K = s[2];
      const auto A = uniform(size_t(g.M * g.K), 21), B = uniform(size_t(g.K * g.N), 22);
      const auto bias = uniform(size_t(g.N), 23, -2, 2);
      const int64_t zero = 0;
      std::vector<float> C(size_t(g.M * g.N), NAN);
      g.A = A.data(), g.B = B.data(), g.C = C.data();
      g.epilogue.bias = bias.data();
      g.epilogue.biasBatchOffset = &zero;
      g.epilogue.biasRowStride = 0, g.epilogue.biasColStride = 1;
      g.epilogue.act = Activation::Relu;
      gemm(g);
      Product want = reference(g, A, B, {0}, {0});
      std::vector<double> beta(want.values.size());
      for (size_t i = 0; i < want.values.size(); ++i) {
        beta[i] = bias[i % size_t(g.N)];
        want.values[i] = std::max(0.0, want.values[i] + beta[i]);
      }
      expectNear(C, want, g.K, label(v, 1, g.M, g.N, g.K, false, false) + " + bias, relu", &beta);
    }
  }
}

ROBUSTA_TEST(gemm, bf16_rounds_to_nearest_even_and_sums_the_rounded_inputs_in_fp32) {
  RestoreGemm restore;
  EXPECT(roundToBf16(1.0f + std::ldexp(1.0f, -8)) == 1.0f, "a tie rounds to the even neighbour (1)");
  EXPECT(roundToBf16(1.0f + 3 * std::ldexp(1.0f, -8)) == 1.0f + std::ldexp(1.0f, -6), "a tie rounds to even (up)");
  EXPECT(roundToBf16(1.0f + std::ldexp(1.0f, -7)) == 1.0f + std::ldexp(1.0f, -7), "a bf16 value is kept");
  EXPECT(std::isnan(roundToBf16(NAN)) && roundToBf16(INFINITY) == INFINITY && roundToBf16(-0.0f) == 0.0f);
  setGemmImpl(GemmImpl::Own);
  const bool hasBf16Dot = cpuFlag("avx512_bf16");
  for (bool emulate : {true, false}) {
    if (!emulate && !hasBf16Dot) continue;  // vdpbf16ps exists only where the CPU has AVX512_BF16
    setGemmBf16Emulation(emulate);
    GemmBatch g;
    g.M = 29, g.N = 71, g.K = 301;  // odd K: the vdpbf16ps pairs are zero-padded
    g.transB = true;
    g.precision = GemmPrecision::BF16;
    const auto A = uniform(size_t(g.M * g.K), 31, -4, 4), B = uniform(size_t(g.K * g.N), 32, -4, 4);
    std::vector<float> C(size_t(g.M * g.N), NAN);
    g.A = A.data(), g.B = B.data(), g.C = C.data();
    gemm(g);
    expectNear(C, reference(g, A, B, {0}, {0}, roundToBf16), g.K,
               std::string("bf16 ") + (emulate ? "rounded fp32" : "vdpbf16ps"));
  }
}

}  // namespace
