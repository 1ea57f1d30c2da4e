// Host launchers (see kernels.h): argument checks, shape collapsing for broadcasting, and launch geometry.
#include "core/cuda/kernels.h"

#include <algorithm>
#include <string>

#include "core/cuda/kernel_params.h"
#include "core/cuda/runtime.h"
#include "core/error.h"

namespace robusta::cuda {

namespace {

using robusta_kernels::Broadcast;
using robusta_kernels::kMaxCopyRank;
using robusta_kernels::kMaxRank;
using robusta_kernels::StridedView;

constexpr unsigned kThreads = 256;

/** Enough blocks to fill the device a few times over; the kernels' grid-stride loops cover the rest. */
unsigned elementwiseBlocks(int64_t n) {
  const int64_t cap = std::max(1, status().multiprocessors) * 32;
  return static_cast<unsigned>(std::max<int64_t>(1, std::min<int64_t>((n + kThreads - 1) / kThreads, cap)));
}

/** Drops size-1 axes and merges neighbours both inputs walk contiguously, so [B,T,H]+[H] becomes rank 2. */
Broadcast collapse(const Shape& as, const Shape& bs, const Shape& os) {
  const auto sa = broadcastStrides(as, os), sb = broadcastStrides(bs, os);
  std::vector<int64_t> dims, da, db;
  for (size_t d = 0; d < os.size(); ++d) {
    if (os[d] == 1) continue;
    if (!dims.empty() && da.back() == sa[d] * os[d] && db.back() == sb[d] * os[d]) {
      dims.back() *= os[d];
      da.back() = sa[d];
      db.back() = sb[d];
    } else {
      dims.push_back(os[d]);
      da.push_back(sa[d]);
      db.push_back(sb[d]);
    }
  }
  if (dims.empty()) {  // a scalar result
    dims.push_back(1);
    da.push_back(0);
    db.push_back(0);
  }
  if (dims.size() > size_t(kMaxRank)) {
    throw Error("CUDA binary op: shapes " + shapeString(as) + " and " + shapeString(bs) + " broadcast to rank " +
                std::to_string(dims.size()) + " after merging axes; the kernel handles at most " +
                std::to_string(kMaxRank));
  }
  Broadcast bc{};
  bc.rank = static_cast<int>(dims.size());
  for (int d = 0; d < bc.rank; ++d) {
    bc.dims[d] = dims[d];
    bc.strideA[d] = da[d];
    bc.strideB[d] = db[d];
  }
  return bc;
}

bool unaryOutputsBool(cpu::UnaryOp op) {
  return op == cpu::UnaryOp::LogicalNot || op == cpu::UnaryOp::IsNan || op == cpu::UnaryOp::IsInf ||
         op == cpu::UnaryOp::IsFinite;
}

void checkRows(const char* what, int64_t rows, int64_t cols) {
  if (rows < 0 || cols < 0 || rows > 0x7fffffff || cols > 0x7fffffff) {
    throw Error(std::string(what) + ": " + std::to_string(rows) + " rows of " + std::to_string(cols) +
                " columns is outside the kernel's int32 range");
  }
}

/** Threads per row-block: a warp multiple near the row length, so short rows do not idle 256 threads. */
unsigned rowThreads(int64_t cols) { return static_cast<unsigned>(std::clamp<int64_t>((cols + 31) / 32 * 32, 32, 512)); }

}  // namespace

void unary(cpu::UnaryOp op, CUdeviceptr in, CUdeviceptr out, int64_t n, float alpha) {
  if (int(op) < 0 || op >= cpu::UnaryOp::Count) throw Error("CUDA unary: unknown op " + std::to_string(int(op)));
  if (n <= 0) return;
  Runtime& rt = Runtime::get();
  int opId = int(op);
  long long count = n;
  if (unaryOutputsBool(op)) {
    void* args[] = {&opId, &in, &out, &count};
    rt.launch("robusta_unary_f32_bool", {elementwiseBlocks(n)}, {kThreads}, 0, args);
  } else {
    void* args[] = {&opId, &in, &out, &count, &alpha};
    rt.launch("robusta_unary_f32", {elementwiseBlocks(n)}, {kThreads}, 0, args);
  }
}

void binary(cpu::BinaryOp op, CUdeviceptr a, const Shape& aShape, CUdeviceptr b, const Shape& bShape, CUdeviceptr out,
            const Shape& outShape) {
  if (int(op) < 0 || op >= cpu::BinaryOp::Count) throw Error("CUDA binary: unknown op " + std::to_string(int(op)));
  if (broadcastShapes(aShape, bShape) != outShape) {
    throw Error("CUDA binary op: output shape " + shapeString(outShape) + " is not the broadcast of " +
                shapeString(aShape) + " and " + shapeString(bShape));
  }
  const int64_t n = numel(outShape);
  if (n == 0) return;
  Broadcast bc = collapse(aShape, bShape, outShape);
  Runtime& rt = Runtime::get();
  int opId = int(op);
  long long count = n;
  void* args[] = {&opId, &a, &b, &out, &count, &bc};
  const char* kernel = cpu::binaryOutputsBool(op) ? "robusta_compare_f32" : "robusta_binary_f32";
  rt.launch(kernel, {elementwiseBlocks(n)}, {kThreads}, 0, args);
}

void softmaxRows(CUdeviceptr x, CUdeviceptr y, int64_t rows, int64_t cols) {
  checkRows("CUDA softmax", rows, cols);
  if (rows == 0 || cols == 0) return;
  int c = static_cast<int>(cols);
  void* args[] = {&x, &y, &c};
  Runtime::get().launch("robusta_softmax_rows_f32", {unsigned(rows)}, {rowThreads(cols)}, 0, args);
}

void sumRows(CUdeviceptr x, CUdeviceptr y, int64_t rows, int64_t cols) {
  checkRows("CUDA row sum", rows, cols);
  if (rows == 0) return;
  if (cols == 0) {  // the empty sum
    Runtime::get().fill(y, 0, size_t(rows) * sizeof(float));
    return;
  }
  int c = static_cast<int>(cols);
  void* args[] = {&x, &y, &c};
  Runtime::get().launch("robusta_sum_rows_f32", {unsigned(rows)}, {rowThreads(cols)}, 0, args);
}

void castF32ToBf16(CUdeviceptr in, CUdeviceptr out, int64_t n) {
  if (n <= 0) return;
  long long count = n;
  void* args[] = {&in, &out, &count};
  Runtime::get().launch("robusta_f32_to_bf16", {elementwiseBlocks(n)}, {kThreads}, 0, args);
}

void castBf16ToF32(CUdeviceptr in, CUdeviceptr out, int64_t n) {
  if (n <= 0) return;
  long long count = n;
  void* args[] = {&in, &out, &count};
  Runtime::get().launch("robusta_bf16_to_f32", {elementwiseBlocks(n)}, {kThreads}, 0, args);
}

void castNumeric(robusta_kernels::CastMode mode, CUdeviceptr in, CUdeviceptr out, int64_t n) {
  if (int(mode) < 0 || mode >= robusta_kernels::kCastModeCount) {
    throw Error("CUDA cast: unknown mode " + std::to_string(int(mode)));
  }
  if (n <= 0) return;
  int m = int(mode);
  long long count = n;
  void* args[] = {&m, &in, &out, &count};
  Runtime::get().launch("robusta_cast_numeric", {elementwiseBlocks(n)}, {kThreads}, 0, args);
}

void fill32(CUdeviceptr out, uint32_t bits, int64_t n) {
  if (n <= 0) return;
  unsigned b = bits;
  long long count = n;
  void* args[] = {&out, &b, &count};
  Runtime::get().launch("robusta_fill_32", {elementwiseBlocks(n)}, {kThreads}, 0, args);
}

void stridedCopy(int elementBytes, CUdeviceptr in, int64_t inElements, CUdeviceptr out, const Shape& dims,
                 const std::vector<int64_t>& strides, int64_t base) {
  if (elementBytes != 1 && elementBytes != 4) {
    throw Error("CUDA strided copy: element bytes must be 1 or 4, got " + std::to_string(elementBytes));
  }
  if (dims.size() != strides.size() || dims.size() > size_t(kMaxCopyRank)) {
    throw Error("CUDA strided copy: " + std::to_string(dims.size()) + " dims and " + std::to_string(strides.size()) +
                " strides (need equal, <= " + std::to_string(kMaxCopyRank) + ")");
  }
  const int64_t n = numel(dims);
  if (n == 0) return;
  int64_t lo = base, hi = base;
  for (size_t d = 0; d < dims.size(); ++d) (strides[d] < 0 ? lo : hi) += (dims[d] - 1) * strides[d];
  if (lo < 0 || hi >= inElements) {
    throw Error("CUDA strided copy: reads elements " + std::to_string(lo) + ".." + std::to_string(hi) +
                " of an input holding " + std::to_string(inElements));
  }
  StridedView v{};
  v.rank = static_cast<int>(dims.size());
  v.base = base;
  for (int d = 0; d < v.rank; ++d) {
    v.dims[d] = dims[d];
    v.strides[d] = strides[d];
  }
  long long count = n;
  void* args[] = {&in, &out, &count, &v};
  const char* kernel = elementBytes == 4 ? "robusta_strided_copy_32" : "robusta_strided_copy_8";
  Runtime::get().launch(kernel, {elementwiseBlocks(n)}, {kThreads}, 0, args);
}

void tanPrecise(CUdeviceptr in, CUdeviceptr out, int64_t n) {
  if (n <= 0) return;
  long long count = n;
  void* args[] = {&in, &out, &count};
  Runtime::get().launch("robusta_tan_precise_f32", {elementwiseBlocks(n)}, {kThreads}, 0, args);
}

}  // namespace robusta::cuda
