// cuBLASLt bound at run time (see cublaslt.h). We declare only what we call; the enum values and the heuristic
// result layout were read from cublasLt.h, cublas_api.h and library_types.h of CUDA 13.0 / cuBLAS 13.1.0; they are
// part of cuBLASLt's stable ABI.
#include "core/cuda/cublaslt.h"

#include <dlfcn.h>

#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include "core/cuda/memory.h"
#include "core/cuda/runtime.h"
#include "core/error.h"

namespace robusta::cuda {

namespace {

using cublasStatus_t = int;
using cublasLtHandle_t = struct cublasLtContext*;
using cublasLtMatmulDesc_t = struct cublasLtMatmulDescOpaque*;
using cublasLtMatrixLayout_t = struct cublasLtMatrixLayoutOpaque*;
using cublasLtMatmulPreference_t = struct cublasLtMatmulPreferenceOpaque*;

struct cublasLtMatmulAlgo_t {
  uint64_t data[8];
};
struct cublasLtMatmulHeuristicResult_t {
  cublasLtMatmulAlgo_t algo;
  size_t workspaceSize;
  cublasStatus_t state;
  float wavesCount;
  int reserved[4];
};

constexpr cublasStatus_t CUBLAS_STATUS_SUCCESS = 0;
// cudaDataType_t (library_types.h)
constexpr int CUDA_R_32F = 0;
constexpr int CUDA_R_16BF = 14;
// cublasComputeType_t (cublas_api.h)
constexpr int CUBLAS_COMPUTE_32F = 68;
constexpr int CUBLAS_COMPUTE_32F_FAST_TF32 = 77;
// cublasOperation_t
constexpr int CUBLAS_OP_N = 0;
constexpr int CUBLAS_OP_T = 1;
// cublasLtMatmulDescAttributes_t
constexpr int CUBLASLT_MATMUL_DESC_TRANSA = 3;
constexpr int CUBLASLT_MATMUL_DESC_TRANSB = 4;
// cublasLtMatmulPreferenceAttributes_t
constexpr int CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES = 1;

constexpr size_t kWorkspaceBytes = size_t(32) << 20;  // what cuBLASLt's own docs suggest for Hopper

struct LtApi {
  cublasStatus_t (*create)(cublasLtHandle_t*);
  size_t (*getVersion)();
  cublasStatus_t (*descCreate)(cublasLtMatmulDesc_t*, int computeType, int scaleType);
  cublasStatus_t (*descSetAttribute)(cublasLtMatmulDesc_t, int attr, const void* buf, size_t bytes);
  cublasStatus_t (*layoutCreate)(cublasLtMatrixLayout_t*, int type, uint64_t rows, uint64_t cols, int64_t ld);
  cublasStatus_t (*prefCreate)(cublasLtMatmulPreference_t*);
  cublasStatus_t (*prefSetAttribute)(cublasLtMatmulPreference_t, int attr, const void* buf, size_t bytes);
  cublasStatus_t (*prefDestroy)(cublasLtMatmulPreference_t);
  cublasStatus_t (*algoGetHeuristic)(cublasLtHandle_t, cublasLtMatmulDesc_t, cublasLtMatrixLayout_t,
                                     cublasLtMatrixLayout_t, cublasLtMatrixLayout_t, cublasLtMatrixLayout_t,
                                     cublasLtMatmulPreference_t, int requested, cublasLtMatmulHeuristicResult_t* out,
                                     int* returned);
  cublasStatus_t (*matmul)(cublasLtHandle_t, cublasLtMatmulDesc_t, const void* alpha, const void* a,
                           cublasLtMatrixLayout_t, const void* b, cublasLtMatrixLayout_t, const void* beta,
                           const void* c, cublasLtMatrixLayout_t, void* d, cublasLtMatrixLayout_t,
                           const cublasLtMatmulAlgo_t* algo, void* workspace, size_t workspaceBytes, CUstream stream);
  const char* (*statusName)(cublasStatus_t);  // optional: older libraries lack it
};

struct Loaded {
  LtApi api{};
  std::string library;
  std::string error;
};

template <typename Fn>
void bind(void* lib, const char* symbol, Fn& slot, const std::string& library, std::string& error) {
  slot = reinterpret_cast<Fn>(dlsym(lib, symbol));
  if (slot == nullptr && error.empty()) error = library + " lacks the symbol " + symbol;
}

Loaded load() {
  Loaded out;
  const char* env = std::getenv("ROBUSTA_CUBLASLT");
  const char* names[] = {"libcublasLt.so.13", "libcublasLt.so.12", "libcublasLt.so"};
  void* lib = nullptr;
  std::string tried;
  if (env != nullptr && *env) {
    lib = dlopen(env, RTLD_NOW | RTLD_LOCAL);
    out.library = env;
    if (lib == nullptr) {
      const char* why = dlerror();
      out.error = std::string("ROBUSTA_CUBLASLT=") + env + " could not be loaded (" + (why ? why : "?") + ")";
      return out;
    }
  } else {
    for (const char* name : names) {
      lib = dlopen(name, RTLD_NOW | RTLD_LOCAL);
      if (lib != nullptr) {
        out.library = name;
        break;
      }
      tried += tried.empty() ? name : std::string(", ") + name;
    }
    if (lib == nullptr) {
      out.error = "cuBLASLt not found (tried " + tried + " on the loader path; set ROBUSTA_CUBLASLT to its path)";
      return out;
    }
  }
  LtApi& a = out.api;
  std::string& e = out.error;
  const std::string& l = out.library;
  bind(lib, "cublasLtCreate", a.create, l, e);
  bind(lib, "cublasLtGetVersion", a.getVersion, l, e);
  bind(lib, "cublasLtMatmulDescCreate", a.descCreate, l, e);
  bind(lib, "cublasLtMatmulDescSetAttribute", a.descSetAttribute, l, e);
  bind(lib, "cublasLtMatrixLayoutCreate", a.layoutCreate, l, e);
  bind(lib, "cublasLtMatmulPreferenceCreate", a.prefCreate, l, e);
  bind(lib, "cublasLtMatmulPreferenceSetAttribute", a.prefSetAttribute, l, e);
  bind(lib, "cublasLtMatmulPreferenceDestroy", a.prefDestroy, l, e);
  bind(lib, "cublasLtMatmulAlgoGetHeuristic", a.algoGetHeuristic, l, e);
  bind(lib, "cublasLtMatmul", a.matmul, l, e);
  a.statusName = reinterpret_cast<const char* (*)(cublasStatus_t)>(dlsym(lib, "cublasLtGetStatusName"));
  return out;
}

const Loaded& loaded() {
  static const Loaded* l = new Loaded(load());  // the library stays open for the life of the process
  return *l;
}

void checkLt(cublasStatus_t s, const char* call) {
  if (s == CUBLAS_STATUS_SUCCESS) return;
  const Loaded& l = loaded();
  std::string name = l.api.statusName ? l.api.statusName(s) : "cublasStatus " + std::to_string(s);
  throw Error(std::string(call) + " failed: " + name);
}

/** One prepared GEMM: descriptors and the algorithm the heuristic chose, reused for every call of that shape. */
struct Plan {
  cublasLtMatmulDesc_t desc = nullptr;
  cublasLtMatrixLayout_t first = nullptr, second = nullptr, out = nullptr;
  cublasLtMatmulHeuristicResult_t choice{};
};

struct Lt {
  cublasLtHandle_t handle = nullptr;
  DeviceBuffer workspace;
  std::mutex mu;
  std::map<std::tuple<int, int64_t, int64_t, int64_t, bool, bool>, Plan> plans;
};

Lt& lt() {
  static Lt* instance = [] {
    const Loaded& l = loaded();
    if (!l.error.empty()) throw Error(l.error);
    Runtime::get();  // cuBLASLt runs in the primary context our runtime made current
    auto* s = new Lt();
    checkLt(l.api.create(&s->handle), "cublasLtCreate");
    s->workspace = DeviceBuffer(kWorkspaceBytes);
    return s;
  }();
  return *instance;
}

Plan makePlan(const LtApi& api, Lt& s, GemmPrecision p, const GemmShape& g) {
  // Row-major C[M,N] = A B is column-major C^T[N,M] = B^T A^T: cuBLASLt's first operand is our B, its second our A,
  // and a row-major [r,c] buffer is a column-major [c,r] one with leading dimension c.
  const int inType = p == GemmPrecision::BF16 ? CUDA_R_16BF : CUDA_R_32F;
  const int compute = p == GemmPrecision::TF32 ? CUBLAS_COMPUTE_32F_FAST_TF32 : CUBLAS_COMPUTE_32F;
  Plan plan;
  checkLt(api.descCreate(&plan.desc, compute, CUDA_R_32F), "cublasLtMatmulDescCreate");
  const int opFirst = g.transB ? CUBLAS_OP_T : CUBLAS_OP_N;
  const int opSecond = g.transA ? CUBLAS_OP_T : CUBLAS_OP_N;
  checkLt(api.descSetAttribute(plan.desc, CUBLASLT_MATMUL_DESC_TRANSA, &opFirst, sizeof(opFirst)),
          "cublasLtMatmulDescSetAttribute(TRANSA)");
  checkLt(api.descSetAttribute(plan.desc, CUBLASLT_MATMUL_DESC_TRANSB, &opSecond, sizeof(opSecond)),
          "cublasLtMatmulDescSetAttribute(TRANSB)");
  const uint64_t firstRows = g.transB ? g.k : g.n, firstCols = g.transB ? g.n : g.k;
  const uint64_t secondRows = g.transA ? g.m : g.k, secondCols = g.transA ? g.k : g.m;
  checkLt(api.layoutCreate(&plan.first, inType, firstRows, firstCols, int64_t(firstRows)), "cublasLtMatrixLayoutCreate(B)");
  checkLt(api.layoutCreate(&plan.second, inType, secondRows, secondCols, int64_t(secondRows)),
          "cublasLtMatrixLayoutCreate(A)");
  checkLt(api.layoutCreate(&plan.out, CUDA_R_32F, uint64_t(g.n), uint64_t(g.m), g.n), "cublasLtMatrixLayoutCreate(C)");
  cublasLtMatmulPreference_t pref = nullptr;
  checkLt(api.prefCreate(&pref), "cublasLtMatmulPreferenceCreate");
  uint64_t ws = kWorkspaceBytes;
  checkLt(api.prefSetAttribute(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &ws, sizeof(ws)),
          "cublasLtMatmulPreferenceSetAttribute(MAX_WORKSPACE_BYTES)");
  int returned = 0;
  cublasStatus_t found = api.algoGetHeuristic(s.handle, plan.desc, plan.first, plan.second, plan.out, plan.out, pref,
                                              1, &plan.choice, &returned);
  api.prefDestroy(pref);  // only the query needs it; the descriptors live on in the plan cache (a handful of shapes)
  checkLt(found, "cublasLtMatmulAlgoGetHeuristic");
  if (returned == 0) {
    throw Error("cuBLASLt has no algorithm for a " + std::string(p == GemmPrecision::BF16 ? "bf16" : "fp32") +
                " GEMM of M=" + std::to_string(g.m) + " N=" + std::to_string(g.n) + " K=" + std::to_string(g.k));
  }
  return plan;
}

}  // namespace

BlasStatus blasStatus() {
  BlasStatus s;
  const Loaded& l = loaded();
  if (!l.error.empty()) {
    s.detail = l.error;
    return s;
  }
  s.available = true;
  s.detail = l.library + " (version " + std::to_string(l.api.getVersion()) + ")";
  return s;
}

void gemm(GemmPrecision precision, const GemmShape& g, CUdeviceptr a, CUdeviceptr b, CUdeviceptr c, float alpha,
          float beta) {
  if (g.m < 0 || g.n < 0 || g.k < 0) throw Error("CUDA gemm: negative size");
  if (g.m == 0 || g.n == 0) return;
  Runtime& rt = Runtime::get();
  if (g.k == 0) {  // an empty product: C = beta * C, which for our callers (beta 0) is zeros
    if (beta != 0.0f) throw Error("CUDA gemm: K=0 with beta != 0 is not supported");
    rt.fill(c, 0, size_t(g.m) * size_t(g.n) * sizeof(float));
    return;
  }
  Lt& s = lt();
  const LtApi& api = loaded().api;
  std::lock_guard<std::mutex> lock(s.mu);
  auto key = std::make_tuple(int(precision), g.m, g.n, g.k, g.transA, g.transB);
  auto it = s.plans.find(key);
  if (it == s.plans.end()) it = s.plans.emplace(key, makePlan(api, s, precision, g)).first;
  const Plan& p = it->second;
  checkLt(api.matmul(s.handle, p.desc, &alpha, reinterpret_cast<const void*>(b), p.first,
                     reinterpret_cast<const void*>(a), p.second, &beta, reinterpret_cast<const void*>(c), p.out,
                     reinterpret_cast<void*>(c), p.out, &p.choice.algo, reinterpret_cast<void*>(s.workspace.ptr()),
                     kWorkspaceBytes, rt.stream()),
          "cublasLtMatmul");
}

}  // namespace robusta::cuda
