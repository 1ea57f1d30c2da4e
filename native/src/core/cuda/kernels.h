// Host launchers of our CUDA kernels (kernels/*.cuh); device pointers in, work queued on the runtime's stream.
// Legend: R rows, C columns (the last axis), n elements. All float32 unless named otherwise.
#pragma once
#include <cstdint>
#include <vector>

#include "core/cpu/elementwise.h"
#include "core/cuda/driver.h"
#include "core/cuda/kernel_params.h"
#include "core/shape.h"

namespace robusta::cuda {

/** out[i] = op(in[i]) for n float32 values; out is bool bytes for LogicalNot/IsNan/IsInf/IsFinite, else float32. */
void unary(cpu::UnaryOp op, CUdeviceptr in, CUdeviceptr out, int64_t n, float alpha = 0.0f);

/** out = op(a, b) with broadcasting; a and b float32; out bool bytes for comparisons/logical ops, else float32. */
void binary(cpu::BinaryOp op, CUdeviceptr a, const Shape& aShape, CUdeviceptr b, const Shape& bShape, CUdeviceptr out,
            const Shape& outShape);

/** y[r, :] = softmax(x[r, :]) over C columns. */
void softmaxRows(CUdeviceptr x, CUdeviceptr y, int64_t rows, int64_t cols);

/** y[r] = sum(x[r, :]) over C columns. */
void sumRows(CUdeviceptr x, CUdeviceptr y, int64_t rows, int64_t cols);

/** bf16 <-> float32 for n values (round to nearest even on the way down). */
void castF32ToBf16(CUdeviceptr in, CUdeviceptr out, int64_t n);
void castBf16ToF32(CUdeviceptr in, CUdeviceptr out, int64_t n);

/** n elements between float32, int32 and bool bytes with tfjs's semantics (element sizes: kCastInBytes/OutBytes). */
void castNumeric(robusta_kernels::CastMode mode, CUdeviceptr in, CUdeviceptr out, int64_t n);

/** n 32-bit elements set to one bit pattern (a float32's or int32's bits). */
void fill32(CUdeviceptr out, uint32_t bits, int64_t n);

/** out[i] = in[base + sum_d idx_d * strides[d]] walking `out` (shape `dims`) row-major, elements of 1 or 4 bytes;
 *  strides may be negative or zero, and every read must fall inside the input's `inElements` elements. */
void stridedCopy(int elementBytes, CUdeviceptr in, int64_t inElements, CUdeviceptr out, const Shape& dims,
                 const std::vector<int64_t>& strides, int64_t base);

/** tan of n float32 values computed in double, rounded once to float32. */
void tanPrecise(CUdeviceptr in, CUdeviceptr out, int64_t n);

}  // namespace robusta::cuda
