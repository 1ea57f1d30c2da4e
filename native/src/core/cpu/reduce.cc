// Reductions (see reduce.h). Legend: x is [outer, size, inner]; `size` is the reduced extent. Rows (inner == 1) run
// one output per task; a reduced non-innermost axis runs tiles of kTile columns, each column with its own accumulator.
#include "core/cpu/reduce.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/cpu/js_number.h"
#include "core/error.h"
#include "core/thread_pool.h"

namespace robusta::cpu {

namespace {

constexpr int64_t kGrain = 1 << 15;  // elements per parallel task
constexpr int64_t kTile = 256;       // columns reduced together when the reduced axis is not innermost
constexpr int64_t kMaxPartials = 64; // a full Sum/Mean of a big tensor splits into this many ordered partial sums

struct State {
  double v;
  int32_t idx;
};

template <ReduceOp OP>
inline State start(double first) {
  if constexpr (OP == ReduceOp::Sum || OP == ReduceOp::Mean) return {0.0, 0};
  else if constexpr (OP == ReduceOp::Prod) return {1.0, 0};
  else return {first, 0};  // Max/Min/Arg*/All/Any start from the first element, as the cpu backend does
}

template <ReduceOp OP, typename In>
inline void step(State& s, In xv, int64_t r, float n) {
  const double v = static_cast<double>(xv);
  if constexpr (OP == ReduceOp::Sum) {
    s.v += v;
  } else if constexpr (OP == ReduceOp::Mean) {
    s.v += static_cast<double>(static_cast<float>(xv) / n);  // cpu: cast to float32, divide in float32, then sum
  } else if constexpr (OP == ReduceOp::Prod) {
    s.v *= v;
  } else if constexpr (OP == ReduceOp::Max) {
    if (std::isnan(v) || v > s.v) s.v = v;  // NaN wins and sticks
  } else if constexpr (OP == ReduceOp::Min) {
    if (std::isnan(v) || v < s.v) s.v = v;
  } else if constexpr (OP == ReduceOp::ArgMax) {
    if (v > s.v) s = {v, static_cast<int32_t>(r)};  // first index of the maximum; NaN is never chosen
  } else if constexpr (OP == ReduceOp::ArgMin) {
    if (v < s.v) s = {v, static_cast<int32_t>(r)};
  } else if constexpr (OP == ReduceOp::All) {
    if (s.v != 0) s.v = v;
  } else if constexpr (OP == ReduceOp::Any) {
    if (s.v == 0) s.v = v;
  }
}

/** One row of Sum/Mean with four independent double accumulators (the add latency, not throughput, bounds a
 * single chain); double precision keeps the result equal to the cpu backend's one-chain sum after rounding to float. */
template <ReduceOp OP, typename In>
inline double sumRow(const In* x, int64_t size, float n) {
  auto term = [n](In v) {
    if constexpr (OP == ReduceOp::Mean) return static_cast<double>(static_cast<float>(v) / n);
    else return static_cast<double>(v);
  };
  double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  int64_t r = 0;
  for (; r + 4 <= size; r += 4) {
    a0 += term(x[r]);
    a1 += term(x[r + 1]);
    a2 += term(x[r + 2]);
    a3 += term(x[r + 3]);
  }
  double s = (a0 + a1) + (a2 + a3);
  for (; r < size; ++r) s += term(x[r]);
  return s;
}

template <ReduceOp OP, typename Out>
inline Out finish(const State& s) {
  const double v = (OP == ReduceOp::ArgMax || OP == ReduceOp::ArgMin) ? double(s.idx) : s.v;
  if constexpr (std::is_same_v<Out, float>) return static_cast<float>(v);
  else if constexpr (std::is_same_v<Out, int32_t>) return jsToInt32(v);
  else return toBool(v);
}

template <ReduceOp OP, typename Out>
Out emptyValue() {
  if constexpr (OP == ReduceOp::Prod) return Out(1);
  else if constexpr ((OP == ReduceOp::Max || OP == ReduceOp::Min) && std::is_same_v<Out, float>)
    return std::numeric_limits<float>::quiet_NaN();  // the cpu backend reads past the (empty) row: undefined -> NaN
  else return Out(0);
}

template <ReduceOp OP, typename In, typename Out>
void reduceTyped(const In* x, Out* out, int64_t outer, int64_t size, int64_t inner) {
  const int64_t nOut = outer * inner;
  ThreadPool& pool = ThreadPool::instance();
  if (size == 0) {
    std::fill(out, out + nOut, emptyValue<OP, Out>());
    return;
  }
  const float n = static_cast<float>(size);
  if (inner == 1) {
    if constexpr (OP == ReduceOp::Sum || OP == ReduceOp::Mean) {
      if (outer == 1 && size >= 2 * kGrain) {
        // a fixed split (independent of the thread count) keeps the result deterministic
        const int64_t chunks = std::min<int64_t>(kMaxPartials, size / kGrain);
        double partial[kMaxPartials];
        pool.parallelFor(chunks, 1, [&](int64_t b, int64_t e) {
          for (int64_t k = b; k < e; ++k) {
            const int64_t lo = size * k / chunks, hi = size * (k + 1) / chunks;
            partial[k] = sumRow<OP>(x + lo, hi - lo, n);
          }
        });
        double total = 0;
        for (int64_t k = 0; k < chunks; ++k) total += partial[k];
        out[0] = finish<OP, Out>({total, 0});
        return;
      }
    }
    pool.parallelFor(outer, std::max<int64_t>(1, kGrain / size), [&](int64_t b, int64_t e) {
      for (int64_t o = b; o < e; ++o) {
        const In* row = x + o * size;
        if constexpr (OP == ReduceOp::Sum || OP == ReduceOp::Mean) {
          out[o] = finish<OP, Out>({sumRow<OP>(row, size, n), 0});
          continue;
        }
        State s = start<OP>(static_cast<double>(row[0]));
        for (int64_t r = 0; r < size; ++r) step<OP>(s, row[r], r, n);
        out[o] = finish<OP, Out>(s);
      }
    });
    return;
  }
  const int64_t tiles = (inner + kTile - 1) / kTile;
  pool.parallelFor(outer * tiles, std::max<int64_t>(1, kGrain / (size * std::min(inner, kTile))), [&](int64_t b, int64_t e) {
    State acc[kTile];
    for (int64_t t = b; t < e; ++t) {
      const int64_t o = t / tiles, c0 = (t % tiles) * kTile, w = std::min(kTile, inner - c0);
      const In* base = x + o * size * inner + c0;
      for (int64_t c = 0; c < w; ++c) acc[c] = start<OP>(static_cast<double>(base[c]));
      for (int64_t r = 0; r < size; ++r) {
        const In* row = base + r * inner;
        for (int64_t c = 0; c < w; ++c) step<OP>(acc[c], row[c], r, n);
      }
      Out* po = out + o * inner + c0;
      for (int64_t c = 0; c < w; ++c) po[c] = finish<OP, Out>(acc[c]);
    }
  });
}

template <ReduceOp OP, typename In>
void reduceFrom(const In* x, DType outType, void* out, int64_t outer, int64_t size, int64_t inner) {
  switch (outType) {
    case DType::F32: return reduceTyped<OP>(x, static_cast<float*>(out), outer, size, inner);
    case DType::I32: return reduceTyped<OP>(x, static_cast<int32_t*>(out), outer, size, inner);
    case DType::Bool: return reduceTyped<OP>(x, static_cast<uint8_t*>(out), outer, size, inner);
  }
}

template <ReduceOp OP>
void reduceOp(DType inType, const void* x, void* out, int64_t outer, int64_t size, int64_t inner) {
  const DType outType = reduceOutputType(OP, inType);
  switch (inType) {
    case DType::F32: return reduceFrom<OP>(static_cast<const float*>(x), outType, out, outer, size, inner);
    case DType::I32: return reduceFrom<OP>(static_cast<const int32_t*>(x), outType, out, outer, size, inner);
    case DType::Bool: return reduceFrom<OP>(static_cast<const uint8_t*>(x), outType, out, outer, size, inner);
  }
}

}  // namespace

DType reduceOutputType(ReduceOp op, DType in) {
  switch (op) {
    case ReduceOp::Sum:
    case ReduceOp::Prod: return in == DType::F32 ? DType::F32 : DType::I32;
    case ReduceOp::Mean: return DType::F32;
    case ReduceOp::ArgMax:
    case ReduceOp::ArgMin: return DType::I32;
    case ReduceOp::All:
    case ReduceOp::Any: return DType::Bool;
    default: return in;
  }
}

void reduce(ReduceOp op, DType inType, const void* x, void* out, int64_t outer, int64_t size, int64_t inner) {
  if (outer < 0 || size < 0 || inner < 0) throw Error("reduce: negative extent");
  if (outer == 0 || inner == 0) return;
  switch (op) {
    case ReduceOp::Sum: return reduceOp<ReduceOp::Sum>(inType, x, out, outer, size, inner);
    case ReduceOp::Mean: return reduceOp<ReduceOp::Mean>(inType, x, out, outer, size, inner);
    case ReduceOp::Prod: return reduceOp<ReduceOp::Prod>(inType, x, out, outer, size, inner);
    case ReduceOp::Max: return reduceOp<ReduceOp::Max>(inType, x, out, outer, size, inner);
    case ReduceOp::Min: return reduceOp<ReduceOp::Min>(inType, x, out, outer, size, inner);
    case ReduceOp::ArgMax: return reduceOp<ReduceOp::ArgMax>(inType, x, out, outer, size, inner);
    case ReduceOp::ArgMin: return reduceOp<ReduceOp::ArgMin>(inType, x, out, outer, size, inner);
    case ReduceOp::All: return reduceOp<ReduceOp::All>(inType, x, out, outer, size, inner);
    case ReduceOp::Any: return reduceOp<ReduceOp::Any>(inType, x, out, outer, size, inner);
    case ReduceOp::Count: break;
  }
  throw Error("reduce: unknown op " + std::to_string(static_cast<int>(op)));
}

}  // namespace robusta::cpu
