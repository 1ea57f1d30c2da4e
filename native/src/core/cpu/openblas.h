// OpenBLAS, bound at run time: libopenblas is dlopen'ed on first use ($ROBUSTA_OPENBLAS, then libopenblas.so.0, then
// libopenblas.so), so the addon loads and runs on a machine without it, with our own GEMM.
#pragma once
#include <string>

namespace robusta::cpu::openblas {

// Our own declarations of the CBLAS ABI (values from cblas.h; fixed by the CBLAS standard).
constexpr int kRowMajor = 101;
constexpr int kNoTrans = 111;
constexpr int kTrans = 112;

/** The entry points we call; blasint is a 32-bit int in the libopenblas.so.0 that distributions ship. */
struct Api {
  void (*sgemm)(int order, int transA, int transB, int M, int N, int K, float alpha, const float* A, int lda,
                const float* B, int ldb, float beta, float* C, int ldc);
  int (*getNumThreads)();      // optional: null when the library lacks it
  const char* (*getConfig)();  // optional: "OpenBLAS 0.3.21 DYNAMIC_ARCH ..."
};

/**
 * What loading found: available with `detail` = "<path> (<openblas_get_config()>, <n> threads)", or not available
 * with `detail` = why (ROBUSTA_OPENBLAS=off, the library not found with the loader's message, a missing symbol).
 */
struct Status {
  bool available = false;
  std::string detail;
};

/** Loads once per process (the first call), never throws. */
const Status& status();

/** The loaded entry points; throws Error with status().detail when OpenBLAS is not available. */
const Api& api();

/**
 * One load attempt as status() makes it, for tests: `setting` is $ROBUSTA_OPENBLAS (null or empty: the default
 * names; "off" in any case: refused; else a path or a name for dlopen). The library stays open when it loads.
 */
Status load(const char* setting, Api* out);

}  // namespace robusta::cpu::openblas
