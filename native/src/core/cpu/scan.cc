// Scans (see scan.h): one task per outer slice; the inner columns of a step run together, so a scan along a
// non-innermost axis walks memory row by row.
#include "core/cpu/scan.h"

#include <algorithm>

#include "core/cpu/js_number.h"
#include "core/error.h"
#include "core/thread_pool.h"

namespace robusta::cpu {

namespace {

template <ScanOp OP, typename In, typename Out>
inline Out combine(Out prev, In v) {
  if constexpr (std::is_same_v<Out, float>) {
    return OP == ScanOp::Sum ? prev + static_cast<float>(v) : prev * static_cast<float>(v);
  } else {
    const double p = static_cast<double>(prev), x = static_cast<double>(v);
    return jsToInt32(OP == ScanOp::Sum ? p + x : p * x);  // JS double arithmetic, then the Int32Array store
  }
}

template <ScanOp OP, typename In, typename Out>
void scanTyped(const In* x, Out* out, int64_t outer, int64_t size, int64_t inner, bool exclusive, bool reverse) {
  const Out identity = OP == ScanOp::Sum ? Out(0) : Out(1);
  ThreadPool::instance().parallelFor(outer, std::max<int64_t>(1, (1 << 15) / std::max<int64_t>(1, size * inner)),
                                     [&](int64_t b, int64_t e) {
    for (int64_t o = b; o < e; ++o) {
      const In* xo = x + o * size * inner;
      Out* yo = out + o * size * inner;
      for (int64_t k = 0; k < size; ++k) {
        const int64_t r = reverse ? size - 1 - k : k;
        const int64_t prev = reverse ? r + 1 : r - 1;
        Out* y = yo + r * inner;
        if (k == 0) {
          for (int64_t c = 0; c < inner; ++c) y[c] = exclusive ? identity : static_cast<Out>(xo[r * inner + c]);
          continue;
        }
        const Out* yp = yo + prev * inner;
        const In* xs = xo + (exclusive ? prev : r) * inner;
        for (int64_t c = 0; c < inner; ++c) y[c] = combine<OP, In, Out>(yp[c], xs[c]);
      }
    }
  });
}

template <ScanOp OP>
void scanOp(DType inType, const void* x, void* out, int64_t outer, int64_t size, int64_t inner, bool exclusive,
            bool reverse) {
  switch (inType) {
    case DType::F32:
      return scanTyped<OP>(static_cast<const float*>(x), static_cast<float*>(out), outer, size, inner, exclusive, reverse);
    case DType::I32:
      return scanTyped<OP>(static_cast<const int32_t*>(x), static_cast<int32_t*>(out), outer, size, inner, exclusive,
                           reverse);
    case DType::Bool:
      return scanTyped<OP>(static_cast<const uint8_t*>(x), static_cast<int32_t*>(out), outer, size, inner, exclusive,
                           reverse);
  }
}

}  // namespace

void scan(ScanOp op, DType inType, const void* x, void* out, int64_t outer, int64_t size, int64_t inner, bool exclusive,
          bool reverse) {
  if (outer <= 0 || size <= 0 || inner <= 0) return;
  switch (op) {
    case ScanOp::Sum: return scanOp<ScanOp::Sum>(inType, x, out, outer, size, inner, exclusive, reverse);
    case ScanOp::Prod: return scanOp<ScanOp::Prod>(inType, x, out, outer, size, inner, exclusive, reverse);
    case ScanOp::Count: break;
  }
  throw Error("scan: unknown op " + std::to_string(static_cast<int>(op)));
}

}  // namespace robusta::cpu
