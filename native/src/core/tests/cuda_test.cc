// The CUDA path checked against its CPU twins (the core's cpu:: kernels) and float64 references on seeded random
// inputs with poisoned outputs; every case skips with the reason when no driver or device is present.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "core/cpu/elementwise.h"
#include "core/cpu/gemm.h"
#include "core/cpu/reduce.h"
#include "core/cpu/softmax.h"
#include "core/cuda/cublaslt.h"
#include "core/cuda/kernels.h"
#include "core/cuda/memory.h"
#include "core/cuda/runtime.h"
#include "core/error.h"
#include "core/tests/harness.h"

namespace {

using namespace robusta;
using namespace robusta::cuda;
using robusta::test::fail;
using robusta::test::Skip;

std::mt19937& rng() {
  static std::mt19937* g = [] {
    // a fixed seed, so a failure replays as it happened; ROBUSTA_TEST_SEED tries other inputs
    unsigned seed = 20261206;
    if (const char* env = std::getenv("ROBUSTA_TEST_SEED")) seed = unsigned(std::strtoul(env, nullptr, 10));
    std::cout << "cuda tests: seed " << seed << " (ROBUSTA_TEST_SEED=N for other inputs)" << std::endl;
    return new std::mt19937(seed);
  }();
  return *g;
}

std::vector<float> uniform(size_t n, float lo, float hi) {
  std::uniform_real_distribution<float> d(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = d(rng());
  return v;
}

Runtime& requireCuda() {
  const DeviceStatus& st = status();
  if (!st.available) throw Skip{st.reason};
  return Runtime::get();
}

template <typename T>
DeviceBuffer toDevice(const std::vector<T>& v) {
  DeviceBuffer b(v.size() * sizeof(T));
  Runtime::get().upload(b.ptr(), v.data(), b.bytes());
  return b;
}

/** A device buffer of n elements filled with 0xFF bytes (NaN as float), so an unwritten element cannot pass. */
DeviceBuffer poisoned(size_t bytes) {
  DeviceBuffer b(bytes);
  Runtime::get().fill(b.ptr(), 0xFF, bytes);
  return b;
}

template <typename T>
std::vector<T> toHost(const DeviceBuffer& b, size_t n) {
  std::vector<T> v(n);
  Runtime::get().synchronize();  // surfaces a failed kernel as an Error naming the call
  Runtime::get().download(v.data(), b.ptr(), n * sizeof(T));
  return v;
}

/** Elementwise agreement: NaN only where the reference is NaN, infinities equal, else |g - w| <= tol * max(1, |w|). */
void expectClose(const std::vector<float>& got, const std::vector<float>& want, double tol, const std::string& what) {
  if (got.size() != want.size()) fail(what, ": ", got.size(), " values, expected ", want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    const double g = got[i], w = want[i];
    bool ok = std::isnan(w) ? std::isnan(g) : std::isinf(w) ? g == w : std::fabs(g - w) <= tol * std::max(1.0, std::fabs(w));
    if (!ok) fail(what, ": index ", i, ": got ", g, ", expected ", w);
  }
}

/** ||got - ref|| / ||ref|| over float64 references (the METHOD.md measure for reductions and GEMMs). */
double relError(const std::vector<float>& got, const std::vector<double>& ref) {
  double num = 0, den = 0;
  for (size_t i = 0; i < ref.size(); ++i) {
    if (std::isnan(got[i])) return INFINITY;
    num += (got[i] - ref[i]) * (got[i] - ref[i]);
    den += ref[i] * ref[i];
  }
  return std::sqrt(num / std::max(den, 1e-300));
}

/** Inputs inside each unary op's domain, plus the special values every op must pass through like the CPU. */
std::vector<float> unaryInput(cpu::UnaryOp op, size_t n) {
  using U = cpu::UnaryOp;
  float lo = -5, hi = 5;
  if (op == U::Log || op == U::Sqrt || op == U::Rsqrt) lo = 1e-3f, hi = 100;
  if (op == U::Asin || op == U::Acos || op == U::Atanh) lo = -0.999f, hi = 0.999f;
  if (op == U::Acosh) lo = 1, hi = 50;
  if (op == U::Exp || op == U::Sinh || op == U::Cosh || op == U::Expm1) lo = -20, hi = 20;
  if (op == U::Softplus) lo = -30, hi = 30;
  std::vector<float> v = uniform(n, lo, hi);
  const float specials[] = {0.0f, -0.0f, 1.0f, -1.0f, 0.5f, 2.5f, -2.5f, INFINITY, -INFINITY, NAN};
  for (size_t i = 0; i < std::size(specials) && i < n; ++i) v[i * 7 % n] = specials[i];
  return v;
}

bool unaryBool(cpu::UnaryOp op) {
  using U = cpu::UnaryOp;
  return op == U::LogicalNot || op == U::IsNan || op == U::IsInf || op == U::IsFinite;
}

ROBUSTA_TEST(cuda, status) {
  const DeviceStatus& st = status();
  if (!st.available) {
    EXPECT(!st.reason.empty(), "an unavailable device must say why");
    throw Skip{st.reason};
  }
  BlasStatus blas = blasStatus();
  std::printf("cuda: %s, compute capability %d.%d, %d SMs, %.1f GiB, driver API %d; cuBLASLt: %s\n", st.name.c_str(),
              st.ccMajor, st.ccMinor, st.multiprocessors, st.totalBytes / 1073741824.0, st.driverVersion,
              blas.detail.c_str());
  EXPECT(st.ccMajor >= 8);
}

ROBUSTA_TEST(cuda, unary_matches_cpu) {
  requireCuda();
  const size_t n = 100003;  // odd: the tail of every grid-stride loop is exercised
  for (int id = 0; id < int(cpu::UnaryOp::Count); ++id) {
    const auto op = static_cast<cpu::UnaryOp>(id);
    const float alpha = op == cpu::UnaryOp::Step ? 0.25f : 0.0f;
    std::vector<float> x = unaryInput(op, n);
    DeviceBuffer in = toDevice(x);
    if (unaryBool(op)) {
      DeviceBuffer out = poisoned(n);
      unary(op, in.ptr(), out.ptr(), int64_t(n), alpha);
      std::vector<uint8_t> got = toHost<uint8_t>(out, n), want(n);
      cpu::unary(op, DType::F32, x.data(), DType::Bool, want.data(), int64_t(n), alpha);
      for (size_t i = 0; i < n; ++i) {
        if (got[i] != want[i]) fail("unary op ", id, ": index ", i, " (x=", x[i], "): got ", int(got[i]), ", expected ", int(want[i]));
      }
    } else {
      DeviceBuffer out = poisoned(n * 4);
      unary(op, in.ptr(), out.ptr(), int64_t(n), alpha);
      std::vector<float> got = toHost<float>(out, n), want(n);
      cpu::unary(op, DType::F32, x.data(), DType::F32, want.data(), int64_t(n), alpha);
      expectClose(got, want, 1e-5, "unary op " + std::to_string(id));
    }
  }
}

ROBUSTA_TEST(cuda, binary_matches_cpu_with_broadcasting) {
  requireCuda();
  const std::vector<std::pair<Shape, Shape>> cases = {
      {{1000, 37}, {1000, 37}}, {{16, 128, 96}, {96}},       {{5, 1, 7}, {1, 6, 7}}, {{4, 3, 1, 5}, {3, 6, 1}},
      {{}, {33, 17}},           {{33, 17}, {}},              {{2, 3, 4, 5, 6, 7}, {7}}, {{8, 1}, {1, 9}},
      {{2, 1, 3, 1, 4}, {1, 5, 1, 6, 1}}, {{0, 3}, {3}},
  };
  for (int id = 0; id < int(cpu::BinaryOp::Count); ++id) {
    const auto op = static_cast<cpu::BinaryOp>(id);
    const bool toBool = cpu::binaryOutputsBool(op);
    for (size_t c = 0; c < cases.size(); ++c) {
      const auto& [as, bs] = cases[c];
      const Shape os = broadcastShapes(as, bs);
      const size_t n = size_t(numel(os));
      // half the cases on a coarse grid, so Equal, FloorDiv, Mod and division by zero meet exact ties
      std::vector<float> a = uniform(size_t(numel(as)), -3, 3), b = uniform(size_t(numel(bs)), -3, 3);
      if (c % 2 == 0) {
        for (float& v : a) v = std::round(v * 2) / 2;
        for (float& v : b) v = std::round(v * 2) / 2;
      }
      DeviceBuffer da = toDevice(a), db = toDevice(b);
      DeviceBuffer out = poisoned(std::max<size_t>(1, n * (toBool ? 1 : 4)));
      binary(op, da.ptr(), as, db.ptr(), bs, out.ptr(), os);
      const std::string what = "binary op " + std::to_string(id) + " on " + shapeString(as) + " and " + shapeString(bs);
      if (toBool) {
        std::vector<uint8_t> got = toHost<uint8_t>(out, n), want(n);
        cpu::binary(op, DType::F32, a.data(), as, b.data(), bs, want.data(), os);
        for (size_t i = 0; i < n; ++i) {
          if (got[i] != want[i]) fail(what, ": index ", i, ": got ", int(got[i]), ", expected ", int(want[i]));
        }
      } else {
        std::vector<float> got = toHost<float>(out, n), want(n);
        cpu::binary(op, DType::F32, a.data(), as, b.data(), bs, want.data(), os);
        expectClose(got, want, 1e-5, what);
      }
    }
  }
}

ROBUSTA_TEST(cuda, binary_rejects_what_it_cannot_do) {
  requireCuda();
  DeviceBuffer a(4 * 128), b(4 * 128), out(4 * 128);
  bool threw = false;
  try {  // alternating broadcast axes cannot merge: rank 7 after collapsing, beyond the kernel's 6
    binary(cpu::BinaryOp::Add, a.ptr(), {2, 1, 2, 1, 2, 1, 2}, b.ptr(), {1, 2, 1, 2, 1, 2, 1}, out.ptr(),
           {2, 2, 2, 2, 2, 2, 2});
  } catch (const Error& e) {
    threw = std::string(e.what()).find("rank 7") != std::string::npos;
  }
  EXPECT(threw, "a rank-7 broadcast must be refused with the rank named");
  threw = false;
  try {
    binary(cpu::BinaryOp::Add, a.ptr(), {3}, b.ptr(), {4}, out.ptr(), {4});
  } catch (const Error& e) {
    threw = std::string(e.what()).find("[3]") != std::string::npos;
  }
  EXPECT(threw, "shapes that do not broadcast must be refused with both named");
}

ROBUSTA_TEST(cuda, softmax_rows_match_cpu_and_float64) {
  requireCuda();
  const std::vector<std::pair<int64_t, int64_t>> shapes = {{4096, 128}, {7, 1}, {3, 1000}, {33, 3001}, {2, 50265}};
  for (auto [rows, cols] : shapes) {
    std::vector<float> x = uniform(size_t(rows * cols), -10, 10);
    if (cols > 1) x[0] = -INFINITY;  // a masked position: weight exactly 0 (alone in its row it would be NaN)
    DeviceBuffer dx = toDevice(x), dy = poisoned(size_t(rows * cols) * 4);
    softmaxRows(dx.ptr(), dy.ptr(), rows, cols);
    std::vector<float> got = toHost<float>(dy, size_t(rows * cols));
    std::vector<double> ref(got.size());
    for (int64_t r = 0; r < rows; ++r) {
      const float* row = x.data() + r * cols;
      double m = -INFINITY, s = 0;
      for (int64_t c = 0; c < cols; ++c) m = std::max(m, double(row[c]));
      for (int64_t c = 0; c < cols; ++c) s += std::exp(double(row[c]) - m);
      for (int64_t c = 0; c < cols; ++c) ref[r * cols + c] = std::exp(double(row[c]) - m) / s;
    }
    const double err = relError(got, ref);
    if (!(err < 1e-5)) fail("softmax ", rows, "x", cols, ": relative error ", err);
    std::vector<float> twin(got.size());
    cpu::softmax(x.data(), twin.data(), rows, cols, false);
    expectClose(got, twin, 1e-5, "softmax " + std::to_string(rows) + "x" + std::to_string(cols) + " vs cpu::softmax");
    if (cols > 1 && got[0] != 0.0f) fail("softmax: a -inf logit must get weight 0, got ", got[0]);
  }
}

ROBUSTA_TEST(cuda, sum_rows_match_cpu_reduce) {
  requireCuda();
  const std::vector<std::pair<int64_t, int64_t>> shapes = {{1000, 768}, {5, 1}, {3, 100000}, {64, 33}, {4, 0}};
  for (auto [rows, cols] : shapes) {
    std::vector<float> x = uniform(size_t(rows * cols), -1, 1);
    DeviceBuffer dx = toDevice(x), dy = poisoned(size_t(rows) * 4);
    sumRows(dx.ptr(), dy.ptr(), rows, cols);
    std::vector<float> got = toHost<float>(dy, size_t(rows));
    std::vector<float> twin(static_cast<size_t>(rows));
    cpu::reduce(cpu::ReduceOp::Sum, DType::F32, x.data(), twin.data(), rows, cols, 1);  // [outer, size, inner=1]
    for (int64_t r = 0; r < rows; ++r) {
      double mag = 0;  // fp32 partial sums in a different order: the bound scales with the sum of magnitudes
      for (int64_t c = 0; c < cols; ++c) mag += std::fabs(x[r * cols + c]);
      if (!(std::fabs(got[r] - twin[r]) <= 1e-6 * std::max(1.0, mag))) {
        fail("row sum ", rows, "x", cols, ": row ", r, ": got ", got[r], ", cpu::reduce gives ", twin[r]);
      }
    }
  }
}

/** float -> bf16 bits, round to nearest even (NaN stays a quiet NaN): the CPU twin of robusta_f32_to_bf16. */
uint16_t bf16Bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  if (std::isnan(f)) return uint16_t((u >> 16) | 0x40);
  return uint16_t((u + 0x7FFF + ((u >> 16) & 1)) >> 16);
}

ROBUSTA_TEST(cuda, bf16_casts_round_to_nearest_even) {
  requireCuda();
  const size_t n = 65537;
  std::vector<float> x = uniform(n, -1000, 1000);
  x[1] = INFINITY, x[2] = -INFINITY, x[3] = 0.0f, x[4] = -0.0f, x[5] = 1.00390625f;  // 1 + 2^-8: a tie, rounds to 1
  DeviceBuffer dx = toDevice(x), dh = poisoned(n * 2), dback = poisoned(n * 4);
  castF32ToBf16(dx.ptr(), dh.ptr(), int64_t(n));
  castBf16ToF32(dh.ptr(), dback.ptr(), int64_t(n));
  std::vector<uint16_t> got = toHost<uint16_t>(dh, n);
  std::vector<float> back = toHost<float>(dback, n);
  for (size_t i = 0; i < n; ++i) {
    if (got[i] != bf16Bits(x[i])) fail("bf16 of ", x[i], ": got 0x", std::hex, got[i], ", expected 0x", bf16Bits(x[i]));
    uint32_t u = uint32_t(got[i]) << 16;
    float f;
    std::memcpy(&f, &u, 4);
    if (std::memcmp(&f, &back[i], 4) != 0) fail("bf16 back to float at ", i, ": got ", back[i], ", expected ", f);
  }
}

ROBUSTA_TEST(cuda, data_movement_launchers_match_host_loops) {
  requireCuda();
  // a [3, 4] matrix read transposed with its rows reversed (a negative stride): out[j][i] = x[2 - i][j]
  std::vector<float> x = uniform(12, -10, 10);
  DeviceBuffer dx = toDevice(x), dt = poisoned(12 * 4);
  stridedCopy(4, dx.ptr(), 12, dt.ptr(), {4, 3}, {1, -4}, 8);
  std::vector<float> t = toHost<float>(dt, 12);
  for (int j = 0; j < 4; ++j) {
    for (int i = 0; i < 3; ++i) {
      if (t[j * 3 + i] != x[(2 - i) * 4 + j]) fail("strided copy [", j, ", ", i, "]: got ", t[j * 3 + i]);
    }
  }
  const size_t n = 1000;
  DeviceBuffer df = poisoned(n * 4);
  fill32(df.ptr(), 0x3fc00000u, int64_t(n));  // 1.5f
  for (float v : toHost<float>(df, n)) EXPECT(v == 1.5f, "fill32 wrote ", v);
  // float32 -> int32 truncates toward zero and wraps like JS ToInt32; NaN and infinities give 0
  std::vector<float> c = {1.9f, -1.9f, NAN, INFINITY, 3e9f};
  const std::vector<int32_t> want = {1, -1, 0, 0, -1294967296};
  DeviceBuffer dc = toDevice(c), di = poisoned(c.size() * 4);
  castNumeric(robusta_kernels::kF32ToI32, dc.ptr(), di.ptr(), int64_t(c.size()));
  std::vector<int32_t> got = toHost<int32_t>(di, c.size());
  for (size_t i = 0; i < c.size(); ++i) EXPECT(got[i] == want[i], "cast of ", c[i], ": got ", got[i]);
  std::vector<float> a = uniform(n, -1.5707f, 1.5707f), tanWant(n);
  for (size_t i = 0; i < n; ++i) tanWant[i] = float(std::tan(double(a[i])));
  DeviceBuffer da = toDevice(a), dtan = poisoned(n * 4);
  tanPrecise(da.ptr(), dtan.ptr(), int64_t(n));
  expectClose(toHost<float>(dtan, n), tanWant, 1e-6, "tanPrecise");
}

ROBUSTA_TEST(cuda, data_movement_launchers_refuse_bad_arguments) {
  // checked before anything reaches the device, so this case runs without a driver too
  auto refuses = [](auto call, const char* needle) {
    try {
      call();
    } catch (const Error& e) {
      return std::string(e.what()).find(needle) != std::string::npos;
    }
    return false;
  };
  const CUdeviceptr none = 0;
  EXPECT(refuses([&] { stridedCopy(2, none, 12, none, {4, 3}, {1, 4}, 0); }, "1 or 4, got 2"));
  EXPECT(refuses([&] { stridedCopy(4, none, 12, none, {4, 3}, {1}, 0); }, "2 dims and 1 strides"));
  EXPECT(refuses([&] { stridedCopy(4, none, 1, none, Shape(9, 1), std::vector<int64_t>(9, 0), 0); }, "9 dims"));
  EXPECT(refuses([&] { stridedCopy(4, none, 12, none, {4, 3}, {1, 4}, 1); },
                 "reads elements 1..12 of an input holding 12"));
  EXPECT(refuses([&] { stridedCopy(4, none, 12, none, {4, 3}, {1, -4}, 4); }, "reads elements -4..7"));
  EXPECT(refuses([&] { castNumeric(robusta_kernels::CastMode(6), none, none, 1); }, "unknown mode 6"));
}

/** Row-major float64 reference of op(A) op(B). */
std::vector<double> gemmRef(const GemmShape& g, const std::vector<float>& a, const std::vector<float>& b) {
  std::vector<double> c(size_t(g.m * g.n), 0.0);
  for (int64_t i = 0; i < g.m; ++i) {
    for (int64_t p = 0; p < g.k; ++p) {
      const double av = g.transA ? a[p * g.m + i] : a[i * g.k + p];
      for (int64_t j = 0; j < g.n; ++j) c[i * g.n + j] += av * (g.transB ? b[j * g.k + p] : b[p * g.n + j]);
    }
  }
  return c;
}

std::vector<float> roundToBf16(const std::vector<float>& v) {
  std::vector<float> out(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    uint32_t u = uint32_t(bf16Bits(v[i])) << 16;
    std::memcpy(&out[i], &u, 4);
  }
  return out;
}

void requireBlas() {
  requireCuda();
  BlasStatus s = blasStatus();
  if (!s.available) throw Skip{s.detail};
}

ROBUSTA_TEST(cuda, gemm_matches_float64_in_each_precision) {
  requireBlas();
  const char* names[] = {"fp32", "tf32", "bf16"};
  const double bounds[] = {1e-5, 3e-3, 1e-2};  // METHOD.md: fp32 far under 1e-3, tf32 near 3e-4, bf16 1e-3..1e-2
  const std::vector<GemmShape> shapes = {{64, 48, 32, false, false}, {129, 65, 33, false, false},
                                         {129, 65, 33, true, false}, {129, 65, 33, false, true},
                                         {77, 200, 300, true, true},  {1, 768, 768, false, false}};
  for (int p = 0; p < 3; ++p) {
    const auto precision = static_cast<GemmPrecision>(p);
    for (const GemmShape& g : shapes) {
      std::vector<float> a = uniform(size_t(g.m * g.k), -1, 1), b = uniform(size_t(g.k * g.n), -1, 1);
      DeviceBuffer da, db;
      if (precision == GemmPrecision::BF16) {  // the precision boundary: inputs rounded to bf16 on the device
        DeviceBuffer fa = toDevice(a), fb = toDevice(b);
        da = DeviceBuffer(a.size() * 2), db = DeviceBuffer(b.size() * 2);
        castF32ToBf16(fa.ptr(), da.ptr(), int64_t(a.size()));
        castF32ToBf16(fb.ptr(), db.ptr(), int64_t(b.size()));
        Runtime::get().synchronize();
      } else {
        da = toDevice(a), db = toDevice(b);
      }
      DeviceBuffer dc = poisoned(size_t(g.m * g.n) * 4);
      gemm(precision, g, da.ptr(), db.ptr(), dc.ptr());
      std::vector<float> got = toHost<float>(dc, size_t(g.m * g.n));
      const double err = relError(got, gemmRef(g, a, b));
      if (!(err < bounds[p])) {
        fail(names[p], " gemm M=", g.m, " N=", g.n, " K=", g.k, " transA=", g.transA, " transB=", g.transB,
             ": relative error ", err, " (bound ", bounds[p], ")");
      }
      if (precision == GemmPrecision::BF16) {  // against bf16-rounded inputs only accumulation error remains
        const double exact = relError(got, gemmRef(g, roundToBf16(a), roundToBf16(b)));
        if (!(exact < 1e-5)) fail("bf16 gemm vs bf16-rounded inputs: relative error ", exact);
      }
      if (precision != GemmPrecision::TF32) {  // the CPU twin: cpu::gemm in the same precision
        cpu::GemmBatch cg;
        cg.M = g.m, cg.N = g.n, cg.K = g.k, cg.transA = g.transA, cg.transB = g.transB;
        cg.A = a.data(), cg.B = b.data();
        std::vector<float> twin(size_t(g.m * g.n));
        cg.C = twin.data();
        cg.precision = precision == GemmPrecision::BF16 ? cpu::GemmPrecision::BF16 : cpu::GemmPrecision::F32;
        cpu::gemm(cg);
        std::vector<double> twin64(twin.begin(), twin.end());
        const double vsCpu = relError(got, twin64);
        if (!(vsCpu < 1e-5)) fail(names[p], " gemm vs cpu::gemm M=", g.m, " N=", g.n, " K=", g.k, ": ", vsCpu);
      }
    }
  }
  // beta accumulates into C: C = 2 * A B + 1 * C
  GemmShape g{33, 17, 9, false, false};
  std::vector<float> a = uniform(size_t(g.m * g.k), -1, 1), b = uniform(size_t(g.k * g.n), -1, 1),
                     c0 = uniform(size_t(g.m * g.n), -1, 1);
  DeviceBuffer da = toDevice(a), db = toDevice(b), dc = toDevice(c0);
  gemm(GemmPrecision::F32, g, da.ptr(), db.ptr(), dc.ptr(), 2.0f, 1.0f);
  std::vector<double> ref = gemmRef(g, a, b);
  for (size_t i = 0; i < ref.size(); ++i) ref[i] = 2 * ref[i] + c0[i];
  const double err = relError(toHost<float>(dc, ref.size()), ref);
  if (!(err < 1e-5)) fail("gemm with alpha 2, beta 1: relative error ", err);
}

ROBUSTA_TEST(cuda, device_pool_reuses_blocks_and_reports_oom) {
  requireCuda();
  DevicePool& pool = DevicePool::instance();
  { DeviceBuffer warm(3 << 20); }
  PoolStats before = pool.stats();
  for (int i = 0; i < 10; ++i) DeviceBuffer again(3 << 20);
  PoolStats after = pool.stats();
  EXPECT(after.freshBytes == before.freshBytes, "a repeated size must be served from the pool");
  EXPECT(after.reusedBlocks >= before.reusedBlocks + 10);
  bool named = false;
  try {
    DeviceBuffer huge(size_t(1) << 50);  // 1 PiB
  } catch (const Error& e) {
    named = std::string(e.what()).find(std::to_string(size_t(1) << 50)) != std::string::npos;
  }
  EXPECT(named, "out of device memory must raise an Error naming the bytes asked");
}

// --- benchmarks (robusta_core_tests --bench) ---

/** Median milliseconds per call of f over `batches` batches of `reps` calls (after warm-up), timed with a host
 *  clock around a stream synchronize, so launch gaps count as they will in training. */
template <typename F>
double medianMs(F f, int reps, int batches = 7) {
  Runtime& rt = Runtime::get();
  for (int i = 0; i < 3; ++i) f();
  rt.synchronize();
  std::vector<double> t;
  for (int b = 0; b < batches; ++b) {
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < reps; ++i) f();
    rt.synchronize();
    t.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / reps);
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

ROBUSTA_BENCH(cuda, gemm_tflops) {
  requireBlas();
  const GemmShape shapes[] = {{4096, 768, 768}, {4096, 3072, 768}, {4096, 768, 3072}};
  const char* names[] = {"fp32", "tf32", "bf16"};
  std::printf("%-18s %8s %10s %10s\n", "M x N x K", "precision", "ms", "TFLOP/s");
  for (const GemmShape& g : shapes) {
    for (int p = 0; p < 3; ++p) {
      const auto precision = static_cast<GemmPrecision>(p);
      const size_t es = precision == GemmPrecision::BF16 ? 2 : 4;
      // random inputs (never zeros): fp32 values uploaded, converted on the device for bf16
      DeviceBuffer fa = toDevice(uniform(size_t(g.m * g.k), -1, 1)), fb = toDevice(uniform(size_t(g.k * g.n), -1, 1));
      DeviceBuffer da(size_t(g.m * g.k) * es), db(size_t(g.k * g.n) * es), dc(size_t(g.m * g.n) * 4);
      if (es == 2) {
        castF32ToBf16(fa.ptr(), da.ptr(), g.m * g.k);
        castF32ToBf16(fb.ptr(), db.ptr(), g.k * g.n);
      } else {
        Runtime::get().copy(da.ptr(), fa.ptr(), da.bytes());
        Runtime::get().copy(db.ptr(), fb.ptr(), db.bytes());
      }
      const double ms = medianMs([&] { gemm(precision, g, da.ptr(), db.ptr(), dc.ptr()); }, 50);
      const double tflops = 2.0 * g.m * g.n * g.k / (ms * 1e-3) / 1e12;
      std::printf("%5lldx%5lldx%5lld %8s %10.4f %10.1f\n", (long long)g.m, (long long)g.n, (long long)g.k, names[p],
                  ms, tflops);
    }
  }
}

ROBUSTA_BENCH(cuda, memory_bound_kernels) {
  requireCuda();
  const int64_t n = int64_t(64) << 20;  // 64 Mi floats: 256 MiB per tensor, far past the L2
  DeviceBuffer a = toDevice(uniform(size_t(n), -1, 1)), b = toDevice(uniform(size_t(n), -1, 1)), c(size_t(n) * 4);
  DeviceBuffer bias = toDevice(uniform(768, -1, 1));
  auto report = [](const char* what, double ms, double bytes) {
    std::printf("%-34s %8.3f ms %8.0f GB/s\n", what, ms, bytes / (ms * 1e-3) / 1e9);
  };
  report("copy (cuMemcpyDtoDAsync)", medianMs([&] { Runtime::get().copy(c.ptr(), a.ptr(), size_t(n) * 4); }, 10),
         8.0 * n);
  report("add [n] + [n]", medianMs([&] { binary(cpu::BinaryOp::Add, a.ptr(), {n}, b.ptr(), {n}, c.ptr(), {n}); }, 10),
         12.0 * n);
  const int64_t rows = n / 768;
  report("add [R,768] + [768] (bias)", medianMs([&] {
           binary(cpu::BinaryOp::Add, a.ptr(), {rows, 768}, bias.ptr(), {768}, c.ptr(), {rows, 768});
         }, 10), 8.0 * rows * 768);
  report("exp [n]", medianMs([&] { unary(cpu::UnaryOp::Exp, a.ptr(), c.ptr(), n); }, 10), 8.0 * n);
  report("softmax rows [n/128, 128]", medianMs([&] { softmaxRows(a.ptr(), c.ptr(), n / 128, 128); }, 10), 8.0 * n);
  report("sum rows [n/768, 768]", medianMs([&] { sumRows(a.ptr(), c.ptr(), n / 768, 768); }, 10), 4.0 * n);
}

}  // namespace
