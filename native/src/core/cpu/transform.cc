// Strided copies (see transform.h): the plan is simplified (size-1 axes dropped, contiguous axes merged), then the
// output is walked row by row of its innermost axis; rows that are contiguous on both sides become memcpy.
#include "core/cpu/transform.h"

#include <algorithm>
#include <cstring>

#include "core/cpu/js_number.h"
#include "core/error.h"
#include "core/thread_pool.h"

namespace robusta::cpu {

namespace {

constexpr int64_t kGrain = 1 << 15;

CopyPlan simplify(const CopyPlan& p) {
  CopyPlan s;
  s.inOffset = p.inOffset;
  s.outOffset = p.outOffset;
  for (size_t d = 0; d < p.shape.size(); ++d) {
    if (p.shape[d] == 1) continue;
    if (!s.shape.empty() && s.inStrides.back() == p.inStrides[d] * p.shape[d] &&
        s.outStrides.back() == p.outStrides[d] * p.shape[d]) {
      // axis d continues the previous one on both sides: merge them
      s.shape.back() *= p.shape[d];
      s.inStrides.back() = p.inStrides[d];
      s.outStrides.back() = p.outStrides[d];
      continue;
    }
    s.shape.push_back(p.shape[d]);
    s.inStrides.push_back(p.inStrides[d]);
    s.outStrides.push_back(p.outStrides[d]);
  }
  return s;
}

void checkRange(const Shape& shape, const std::vector<int64_t>& strides, int64_t offset, int64_t elems, const char* side) {
  int64_t lo = offset, hi = offset;
  for (size_t d = 0; d < shape.size(); ++d) {
    const int64_t reach = (shape[d] - 1) * strides[d];
    (reach < 0 ? lo : hi) += reach;
  }
  if (lo < 0 || hi >= elems) {
    throw Error(std::string("stridedCopy: the plan reaches ") + side + " elements [" + std::to_string(lo) + ", " +
                std::to_string(hi) + "] of a tensor of " + std::to_string(elems) + " elements (shape " +
                shapeString(shape) + ")");
  }
}

constexpr int64_t kBlock = 32;  // transposed pairs of axes copy in kBlock x kBlock tiles that stay in L1

/**
 * The last two axes swap between input and output (a matrix transpose, possibly batched): reading rows of one side
 * would stride through the other, so copy in square tiles. Legend: R = axis rank-2 (input-contiguous), C = axis
 * rank-1 (output-contiguous).
 */
template <typename T>
void copyTransposed(const T* in, T* out, const CopyPlan& p) {
  const size_t rank = p.shape.size();
  const int64_t R = p.shape[rank - 2], C = p.shape[rank - 1];
  const int64_t isC = p.inStrides[rank - 1], osR = p.outStrides[rank - 2];
  const int64_t br = (R + kBlock - 1) / kBlock, bc = (C + kBlock - 1) / kBlock;
  const int64_t outer = numel(p.shape) / (R * C);
  ThreadPool::instance().parallelFor(outer * br * bc, std::max<int64_t>(1, kGrain / (kBlock * kBlock)), [&](int64_t b, int64_t e) {
    for (int64_t t = b; t < e; ++t) {
      const int64_t o = t / (br * bc), r0 = (t / bc) % br * kBlock, c0 = t % bc * kBlock;
      int64_t rem = o, io = p.inOffset, oo = p.outOffset;
      for (size_t d = rank - 2; d-- > 0;) {
        const int64_t idx = rem % p.shape[d];
        rem /= p.shape[d];
        io += idx * p.inStrides[d];
        oo += idx * p.outStrides[d];
      }
      const int64_t r1 = std::min(R, r0 + kBlock), c1 = std::min(C, c0 + kBlock);
      for (int64_t r = r0; r < r1; ++r) {
        const T* src = in + io + r;  // input stride of R is 1
        T* dst = out + oo + r * osR;
        for (int64_t c = c0; c < c1; ++c) dst[c] = src[c * isC];  // output stride of C is 1
      }
    }
  });
}

template <typename T>
void copyTyped(const T* in, T* out, const CopyPlan& p) {
  const size_t rank = p.shape.size();
  if (rank == 0) {
    out[p.outOffset] = in[p.inOffset];
    return;
  }
  if (rank >= 2 && p.inStrides[rank - 2] == 1 && p.outStrides[rank - 1] == 1 && p.inStrides[rank - 1] > 1 &&
      p.shape[rank - 1] >= 8 && p.shape[rank - 2] >= 8) {
    copyTransposed(in, out, p);
    return;
  }
  const int64_t inner = p.shape[rank - 1];
  const int64_t is = p.inStrides[rank - 1], os = p.outStrides[rank - 1];
  const int64_t rows = numel(p.shape) / inner;
  ThreadPool::instance().parallelFor(rows, std::max<int64_t>(1, kGrain / inner), [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      int64_t rem = r, io = p.inOffset, oo = p.outOffset;
      for (size_t d = rank - 1; d-- > 0;) {
        const int64_t idx = rem % p.shape[d];
        rem /= p.shape[d];
        io += idx * p.inStrides[d];
        oo += idx * p.outStrides[d];
      }
      const T* src = in + io;
      T* dst = out + oo;
      if (is == 1 && os == 1) {
        std::memcpy(dst, src, size_t(inner) * sizeof(T));
      } else if (is == 0) {
        if (os == 1) std::fill_n(dst, inner, *src);
        else for (int64_t i = 0; i < inner; ++i) dst[i * os] = *src;
      } else {
        for (int64_t i = 0; i < inner; ++i) dst[i * os] = src[i * is];
      }
    }
  });
}

}  // namespace

void stridedCopy(size_t elemBytes, const void* in, int64_t inElems, void* out, int64_t outElems, const CopyPlan& plan) {
  const size_t rank = plan.shape.size();
  if (plan.inStrides.size() != rank || plan.outStrides.size() != rank) {
    throw Error("stridedCopy: shape " + shapeString(plan.shape) + " needs " + std::to_string(rank) +
                " input and output strides");
  }
  for (int64_t d : plan.shape) {
    if (d < 0) throw Error("stridedCopy: negative extent in shape " + shapeString(plan.shape));
    if (d == 0) return;
  }
  checkRange(plan.shape, plan.inStrides, plan.inOffset, inElems, "input");
  checkRange(plan.shape, plan.outStrides, plan.outOffset, outElems, "output");
  const CopyPlan p = simplify(plan);
  switch (elemBytes) {
    case 1: return copyTyped(static_cast<const uint8_t*>(in), static_cast<uint8_t*>(out), p);
    case 4: return copyTyped(static_cast<const uint32_t*>(in), static_cast<uint32_t*>(out), p);
    default: throw Error("stridedCopy: unsupported element size " + std::to_string(elemBytes));
  }
}

void fillConstant(DType dtype, void* out, int64_t n, double value) {
  if (n <= 0) return;
  auto fill = [&](auto* p, auto v) {
    ThreadPool::instance().parallelFor(n, kGrain, [&](int64_t b, int64_t e) { std::fill(p + b, p + e, v); });
  };
  switch (dtype) {
    case DType::F32: return fill(static_cast<float*>(out), static_cast<float>(value));
    case DType::I32: return fill(static_cast<int32_t*>(out), jsToInt32(value));
    case DType::Bool: return fill(static_cast<uint8_t*>(out), toBool(value));
  }
}

}  // namespace robusta::cpu
