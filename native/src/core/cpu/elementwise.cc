// Elementwise kernels (see elementwise.h): each op is a small lambda; broadcasting walks the output row by row.
#include "core/cpu/elementwise.h"

#include <cmath>
#include <cstring>

#include "core/error.h"
#include "core/thread_pool.h"

namespace robusta::cpu {

namespace {

constexpr int64_t kGrain = 1 << 15;  // elements per parallel chunk: below this a loop runs on one thread

template <typename T>
inline T floorDiv(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    if (b == 0) return 0;
    T q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
  } else {
    return std::floor(a / b);
  }
}

template <typename T>
inline T modOp(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    if (b == 0) return 0;
    T r = a % b;
    return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
  } else {
    T r = std::fmod(a, b);
    return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
  }
}

template <typename T>
inline double unaryValue(UnaryOp op, T xv, float alpha) {
  double x = static_cast<double>(xv);
  switch (op) {
    case UnaryOp::Neg: return -x;
    case UnaryOp::Abs: return std::fabs(x);
    case UnaryOp::Exp: return std::exp(x);
    case UnaryOp::Expm1: return std::expm1(x);
    case UnaryOp::Log: return std::log(x);
    case UnaryOp::Log1p: return std::log1p(x);
    case UnaryOp::Sqrt: return std::sqrt(x);
    case UnaryOp::Rsqrt: return 1.0 / std::sqrt(x);
    case UnaryOp::Square: return x * x;
    case UnaryOp::Reciprocal: return 1.0 / x;
    case UnaryOp::Tanh: return std::tanh(x);
    case UnaryOp::Sigmoid: return 1.0 / (1.0 + std::exp(-x));
    case UnaryOp::Relu: return x < 0 ? 0 : x;
    case UnaryOp::Relu6: return x < 0 ? 0 : (x > 6 ? 6 : x);
    case UnaryOp::Elu: return x >= 0 ? x : std::expm1(x);
    case UnaryOp::Selu: {
      const double scale = 1.0507009873554804934193349852946, a = 1.6732632423543772848170429916717;
      return x >= 0 ? scale * x : scale * a * std::expm1(x);
    }
    case UnaryOp::Erf: return std::erf(x);
    case UnaryOp::Floor: return std::floor(x);
    case UnaryOp::Ceil: return std::ceil(x);
    case UnaryOp::Round: return std::nearbyint(x);  // half to even, as tfjs
    case UnaryOp::Sign: return x < 0 ? -1 : (x > 0 ? 1 : 0);
    case UnaryOp::Sin: return std::sin(x);
    case UnaryOp::Cos: return std::cos(x);
    case UnaryOp::Tan: return std::tan(x);
    case UnaryOp::Asin: return std::asin(x);
    case UnaryOp::Acos: return std::acos(x);
    case UnaryOp::Atan: return std::atan(x);
    case UnaryOp::Sinh: return std::sinh(x);
    case UnaryOp::Cosh: return std::cosh(x);
    case UnaryOp::Asinh: return std::asinh(x);
    case UnaryOp::Acosh: return std::acosh(x);
    case UnaryOp::Atanh: return std::atanh(x);
    case UnaryOp::Softplus: return x > 20 ? x : (x < -20 ? std::exp(x) : std::log1p(std::exp(x)));
    case UnaryOp::LogicalNot: return x == 0 ? 1 : 0;
    case UnaryOp::IsNan: return std::isnan(x) ? 1 : 0;
    case UnaryOp::IsInf: return std::isinf(x) ? 1 : 0;
    case UnaryOp::IsFinite: return std::isfinite(x) ? 1 : 0;
    case UnaryOp::Step: return std::isnan(x) ? x : (x > 0 ? 1 : alpha);
    case UnaryOp::Count: break;
  }
  return 0;
}

template <typename Out>
inline Out store(double v) {
  if constexpr (std::is_same_v<Out, float>) {
    return static_cast<float>(v);
  } else if constexpr (std::is_same_v<Out, uint8_t>) {
    return v != 0 ? 1 : 0;
  } else {
    if (std::isnan(v)) return 0;
    return static_cast<Out>(v);
  }
}

template <typename In, typename Out>
void unaryTyped(UnaryOp op, const In* in, Out* out, int64_t n, float alpha) {
  ThreadPool::instance().parallelFor(n, kGrain, [&](int64_t b, int64_t e) {
    if constexpr (std::is_same_v<In, float> && std::is_same_v<Out, float>) {
      // float fast paths for the ops training uses most
      switch (op) {
        case UnaryOp::Neg: for (int64_t i = b; i < e; ++i) out[i] = -in[i]; return;
        case UnaryOp::Exp: for (int64_t i = b; i < e; ++i) out[i] = std::exp(in[i]); return;
        case UnaryOp::Sqrt: for (int64_t i = b; i < e; ++i) out[i] = std::sqrt(in[i]); return;
        case UnaryOp::Square: for (int64_t i = b; i < e; ++i) out[i] = in[i] * in[i]; return;
        case UnaryOp::Relu: for (int64_t i = b; i < e; ++i) out[i] = in[i] < 0 ? 0.0f : in[i]; return;
        default: break;
      }
    }
    for (int64_t i = b; i < e; ++i) out[i] = store<Out>(unaryValue(op, in[i], alpha));
  });
}

template <typename In>
void unaryFrom(UnaryOp op, const In* in, DType outType, void* out, int64_t n, float alpha) {
  switch (outType) {
    case DType::F32: return unaryTyped(op, in, static_cast<float*>(out), n, alpha);
    case DType::I32: return unaryTyped(op, in, static_cast<int32_t*>(out), n, alpha);
    case DType::Bool: return unaryTyped(op, in, static_cast<uint8_t*>(out), n, alpha);
  }
}

template <typename T, typename Out, typename F>
void broadcastLoop(const T* a, const Shape& aShape, const T* b, const Shape& bShape, Out* out, const Shape& outShape,
                   F f) {
  const int64_t n = numel(outShape);
  if (n == 0) return;
  const int64_t na = numel(aShape), nb = numel(bShape);
  if (na == n && nb == n) {
    ThreadPool::instance().parallelFor(n, kGrain, [&](int64_t s, int64_t e) {
      for (int64_t i = s; i < e; ++i) out[i] = f(a[i], b[i]);
    });
    return;
  }
  if (nb == 1 && na == n) {
    const T bv = b[0];
    ThreadPool::instance().parallelFor(n, kGrain, [&](int64_t s, int64_t e) {
      for (int64_t i = s; i < e; ++i) out[i] = f(a[i], bv);
    });
    return;
  }
  if (na == 1 && nb == n) {
    const T av = a[0];
    ThreadPool::instance().parallelFor(n, kGrain, [&](int64_t s, int64_t e) {
      for (int64_t i = s; i < e; ++i) out[i] = f(av, b[i]);
    });
    return;
  }
  // general case: rows of the last axis, each input either walking it (stride 1) or repeating one value (stride 0)
  const size_t rank = outShape.size();
  const auto sa = broadcastStrides(aShape, outShape);
  const auto sb = broadcastStrides(bShape, outShape);
  const int64_t inner = outShape[rank - 1];
  const int64_t rows = n / inner;
  const int64_t ia = sa[rank - 1], ib = sb[rank - 1];
  ThreadPool::instance().parallelFor(rows, std::max<int64_t>(1, kGrain / inner), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      int64_t rem = r, offA = 0, offB = 0;
      for (size_t d = rank - 1; d-- > 0;) {
        int64_t idx = rem % outShape[d];
        rem /= outShape[d];
        offA += idx * sa[d];
        offB += idx * sb[d];
      }
      const T* pa = a + offA;
      const T* pb = b + offB;
      Out* po = out + r * inner;
      for (int64_t i = 0; i < inner; ++i) po[i] = f(pa[i * ia], pb[i * ib]);
    }
  });
}

template <typename T>
void binaryTyped(BinaryOp op, const T* a, const Shape& as, const T* b, const Shape& bs, void* outp, const Shape& os) {
  T* out = static_cast<T*>(outp);
  uint8_t* bout = static_cast<uint8_t*>(outp);
  switch (op) {
    case BinaryOp::Add: return broadcastLoop(a, as, b, bs, out, os, [](T x, T y) { return T(x + y); });
    case BinaryOp::Sub: return broadcastLoop(a, as, b, bs, out, os, [](T x, T y) { return T(x - y); });
    case BinaryOp::Mul: return broadcastLoop(a, as, b, bs, out, os, [](T x, T y) { return T(x * y); });
    case BinaryOp::RealDiv:
      return broadcastLoop(a, as, b, bs, out, os, [](T x, T y) {
        if constexpr (std::is_integral_v<T>) return T(y == 0 ? 0 : x / y);
        else return T(x / y);
      });
    case BinaryOp::FloorDiv: return broadcastLoop(a, as, b, bs, out, os, [](T x, T y) { return floorDiv(x, y); });
    case BinaryOp::Mod: return broadcastLoop(a, as, b, bs, out, os, [](T x, T y) { return modOp(x, y); });
    case BinaryOp::Maximum:
      return broadcastLoop(a, as, b, bs, out, os, [](T x, T y) {
        if constexpr (std::is_floating_point_v<T>) if (std::isnan(x) || std::isnan(y)) return T(NAN);
        return x > y ? x : y;
      });
    case BinaryOp::Minimum:
      return broadcastLoop(a, as, b, bs, out, os, [](T x, T y) {
        if constexpr (std::is_floating_point_v<T>) if (std::isnan(x) || std::isnan(y)) return T(NAN);
        return x < y ? x : y;
      });
    case BinaryOp::Pow:
      return broadcastLoop(a, as, b, bs, out, os, [](T x, T y) { return store<T>(std::pow(double(x), double(y))); });
    case BinaryOp::SquaredDifference:
      return broadcastLoop(a, as, b, bs, out, os, [](T x, T y) { return T((x - y) * (x - y)); });
    case BinaryOp::Atan2:
      return broadcastLoop(a, as, b, bs, out, os, [](T x, T y) { return store<T>(std::atan2(double(x), double(y))); });
    case BinaryOp::Equal: return broadcastLoop(a, as, b, bs, bout, os, [](T x, T y) { return uint8_t(x == y); });
    case BinaryOp::NotEqual: return broadcastLoop(a, as, b, bs, bout, os, [](T x, T y) { return uint8_t(x != y); });
    case BinaryOp::Greater: return broadcastLoop(a, as, b, bs, bout, os, [](T x, T y) { return uint8_t(x > y); });
    case BinaryOp::GreaterEqual:
      return broadcastLoop(a, as, b, bs, bout, os, [](T x, T y) { return uint8_t(x >= y); });
    case BinaryOp::Less: return broadcastLoop(a, as, b, bs, bout, os, [](T x, T y) { return uint8_t(x < y); });
    case BinaryOp::LessEqual: return broadcastLoop(a, as, b, bs, bout, os, [](T x, T y) { return uint8_t(x <= y); });
    case BinaryOp::LogicalAnd:
      return broadcastLoop(a, as, b, bs, bout, os, [](T x, T y) { return uint8_t(x != 0 && y != 0); });
    case BinaryOp::LogicalOr:
      return broadcastLoop(a, as, b, bs, bout, os, [](T x, T y) { return uint8_t(x != 0 || y != 0); });
    case BinaryOp::LogicalXor:
      return broadcastLoop(a, as, b, bs, bout, os, [](T x, T y) { return uint8_t((x != 0) != (y != 0)); });
    case BinaryOp::Count: break;
  }
  throw Error("unknown binary op " + std::to_string(int(op)));
}

}  // namespace

bool binaryOutputsBool(BinaryOp op) { return op >= BinaryOp::Equal; }

void unary(UnaryOp op, DType inType, const void* in, DType outType, void* out, int64_t n, float alpha) {
  if (int(op) < 0 || op >= UnaryOp::Count) throw Error("unknown unary op " + std::to_string(int(op)));
  switch (inType) {
    case DType::F32: return unaryFrom(op, static_cast<const float*>(in), outType, out, n, alpha);
    case DType::I32: return unaryFrom(op, static_cast<const int32_t*>(in), outType, out, n, alpha);
    case DType::Bool: return unaryFrom(op, static_cast<const uint8_t*>(in), outType, out, n, alpha);
  }
}

void binary(BinaryOp op, DType inType, const void* a, const Shape& aShape, const void* b, const Shape& bShape,
            void* out, const Shape& outShape) {
  if (int(op) < 0 || op >= BinaryOp::Count) throw Error("unknown binary op " + std::to_string(int(op)));
  if (broadcastShapes(aShape, bShape) != outShape) {
    throw Error("binary op: output shape " + shapeString(outShape) + " is not the broadcast of " +
                shapeString(aShape) + " and " + shapeString(bShape));
  }
  switch (inType) {
    case DType::F32:
      return binaryTyped(op, static_cast<const float*>(a), aShape, static_cast<const float*>(b), bShape, out, outShape);
    case DType::I32:
      return binaryTyped(op, static_cast<const int32_t*>(a), aShape, static_cast<const int32_t*>(b), bShape, out,
                         outShape);
    case DType::Bool:
      return binaryTyped(op, static_cast<const uint8_t*>(a), aShape, static_cast<const uint8_t*>(b), bShape, out,
                         outShape);
  }
}

namespace {

template <typename In, typename Out>
void castTyped(const In* in, Out* out, int64_t n) {
  ThreadPool::instance().parallelFor(n, kGrain, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      if constexpr (std::is_same_v<Out, uint8_t>) out[i] = in[i] != 0 ? 1 : 0;
      else if constexpr (std::is_same_v<Out, int32_t> && std::is_floating_point_v<In>)
        out[i] = std::isnan(in[i]) ? 0 : static_cast<int32_t>(in[i]);  // truncation toward zero, as Int32Array.from
      else out[i] = static_cast<Out>(in[i]);
    }
  });
}

template <typename In>
void castFrom(const In* in, DType to, void* out, int64_t n) {
  switch (to) {
    case DType::F32: return castTyped(in, static_cast<float*>(out), n);
    case DType::I32: return castTyped(in, static_cast<int32_t*>(out), n);
    case DType::Bool: return castTyped(in, static_cast<uint8_t*>(out), n);
  }
}

}  // namespace

void cast(DType from, const void* in, DType to, void* out, int64_t n) {
  if (from == to) {
    std::memcpy(out, in, n * dtypeSize(from));
    return;
  }
  switch (from) {
    case DType::F32: return castFrom(static_cast<const float*>(in), to, out, n);
    case DType::I32: return castFrom(static_cast<const int32_t*>(in), to, out, n);
    case DType::Bool: return castFrom(static_cast<const uint8_t*>(in), to, out, n);
  }
}

}  // namespace robusta::cpu
