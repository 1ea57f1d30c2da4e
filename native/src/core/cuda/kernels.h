// Host launchers of our CUDA kernels (kernels/*.cuh); device pointers in, work queued on the runtime's stream.
// Legend: R rows, C columns (the last axis), n elements. All float32 unless named otherwise.
#pragma once
#include <cstdint>

#include "core/cpu/elementwise.h"
#include "core/cuda/driver.h"
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

}  // namespace robusta::cuda
