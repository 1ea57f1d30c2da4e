// The OpenBLAS loader: ROBUSTA_OPENBLAS=off, a path that does not load and a library without CBLAS are reasons, never
// aborts; when the default names load, cblas_sgemm is right on all four transposes and GEMM's Auto picks it.
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/cpu/gemm.h"
#include "core/cpu/openblas.h"
#include "core/error.h"
#include "core/tests/harness.h"

namespace {

using namespace robusta::cpu;
using robusta::test::fail;
using robusta::test::Skip;

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

ROBUSTA_TEST(openblas, off_refuses_it) {
  for (const char* setting : {"off", "OFF"}) {
    openblas::Api api{};
    const openblas::Status st = openblas::load(setting, &api);
    EXPECT(!st.available, setting);
    EXPECT(contains(st.detail, std::string("ROBUSTA_OPENBLAS=") + setting), st.detail);
    EXPECT(api.sgemm == nullptr);
  }
}

ROBUSTA_TEST(openblas, a_missing_path_is_a_reason_naming_it) {
  openblas::Api api{};
  const openblas::Status st = openblas::load("/nonexistent/libopenblas.so.0", &api);
  EXPECT(!st.available);
  EXPECT(contains(st.detail, "ROBUSTA_OPENBLAS=/nonexistent/libopenblas.so.0 could not be loaded"), st.detail);
}

ROBUSTA_TEST(openblas, a_library_without_cblas_is_refused) {
  openblas::Api api{};
  const openblas::Status st = openblas::load("libm.so.6", &api);
  EXPECT(!st.available);
  EXPECT(contains(st.detail, "libm.so.6 lacks the symbol cblas_sgemm"), st.detail);
  EXPECT(api.sgemm == nullptr);
}

ROBUSTA_TEST(openblas, status_follows_the_environment_and_gemm_agrees) {
  const char* env = std::getenv("ROBUSTA_OPENBLAS");
  openblas::Api api{};
  const openblas::Status again = openblas::load(env, &api);
  const openblas::Status& st = openblas::status();
  EXPECT(st.available == again.available, st.detail, " vs ", again.detail);
  setGemmImpl(GemmImpl::Auto);
  if (st.available) {
    EXPECT(gemmImpl() == GemmImpl::OpenBLAS, "Auto should pick the loaded OpenBLAS");
    setGemmImpl(GemmImpl::OpenBLAS);
    setGemmImpl(GemmImpl::Auto);
    return;
  }
  EXPECT(gemmImpl() == GemmImpl::Own, "Auto without OpenBLAS should be our kernel");
  try {
    setGemmImpl(GemmImpl::OpenBLAS);
  } catch (const robusta::Error& e) {
    EXPECT(contains(e.what(), st.detail), e.what());
    EXPECT(gemmImpl() == GemmImpl::Own);
    return;
  }
  fail("setGemmImpl(OpenBLAS) was accepted although OpenBLAS is not loaded: ", st.detail);
}

ROBUSTA_TEST(openblas, sgemm_loaded_by_name_is_right) {
  openblas::Api api{};
  const openblas::Status st = openblas::load(nullptr, &api);
  if (!st.available) throw Skip{st.detail};
  EXPECT(contains(st.detail, "/"), "the detail should name the library's path: ", st.detail);
  // C[2,3] = op(A)[2,4] op(B)[4,3] with small integers: exact in fp32
  const int M = 2, N = 3, K = 4;
  const std::vector<float> a{1, 2, 3, 4, 5, 6, 7, 8};                    // [M,K]
  const std::vector<float> b{1, 0, 2, -1, 3, 1, 0, 2, -2, 4, 1, 0};      // [K,N]
  std::vector<float> aT(a.size()), bT(b.size());
  for (int m = 0; m < M; ++m)
    for (int k = 0; k < K; ++k) aT[size_t(k * M + m)] = a[size_t(m * K + k)];
  for (int k = 0; k < K; ++k)
    for (int n = 0; n < N; ++n) bT[size_t(n * K + k)] = b[size_t(k * N + n)];
  std::vector<float> want(size_t(M * N), 0);
  for (int m = 0; m < M; ++m)
    for (int n = 0; n < N; ++n)
      for (int k = 0; k < K; ++k) want[size_t(m * N + n)] += a[size_t(m * K + k)] * b[size_t(k * N + n)];
  for (bool tA : {false, true})
    for (bool tB : {false, true}) {
      std::vector<float> c(size_t(M * N), NAN);
      api.sgemm(openblas::kRowMajor, tA ? openblas::kTrans : openblas::kNoTrans,
                tB ? openblas::kTrans : openblas::kNoTrans, M, N, K, 1.0f, tA ? aT.data() : a.data(), tA ? M : K,
                tB ? bT.data() : b.data(), tB ? K : N, 0.0f, c.data(), N);
      for (size_t i = 0; i < c.size(); ++i)
        EXPECT(c[i] == want[i], "transA ", tA, " transB ", tB, " element ", i, ": ", c[i], " vs ", want[i]);
    }
}
