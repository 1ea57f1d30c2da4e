// The addon functions the 'robusta-cuda' backend adds (binding/cuda_tensor.cc); buffers and the elementwise, row
// and upload/download functions it shares with the CUDA test surface are declared in ../cuda.ts.
import type { CudaBuffer } from '../cuda.js';

/** A tensor's device memory: the `CudaBuffer` handle of binding/cuda_buffer.h. */
export type CudaTensorBuffer = CudaBuffer;

/** Cast modes of `cudaTensorCast`, in the order of CastMode in core/cuda/kernels/cast_numeric.cuh. */
export enum CastMode {
  F32ToI32,
  I32ToF32,
  F32ToBool,
  I32ToBool,
  BoolToF32,
  BoolToI32,
}

declare module '../addon.js' {
  interface NativeAddon {
    cudaTensorFill(buffer: CudaTensorBuffer, byte: number, bytes: number): void;
    cudaTensorCast(mode: CastMode, input: CudaTensorBuffer, out: CudaTensorBuffer, n: number): void;
    /** Row-major C = op(A) op(B) for matrices starting `offset` float32 elements into each buffer; precision 0 fp32. */
    cudaTensorGemm(
      precision: 0 | 1,
      a: CudaTensorBuffer,
      aOffset: number,
      b: CudaTensorBuffer,
      bOffset: number,
      c: CudaTensorBuffer,
      cOffset: number,
      m: number,
      n: number,
      k: number,
      transA: boolean,
      transB: boolean,
    ): void;
    /** n 32-bit elements set to one bit pattern (the uint32 view of a float32 or int32 value). */
    cudaTensorFill32(buffer: CudaTensorBuffer, bits: number, n: number): void;
    /** out[i] = in[base + sum_d idx_d * strides_d], walking `outShape` row-major; strides in elements, may be < 0. */
    cudaTensorStridedCopy(
      elementBytes: 1 | 4,
      input: CudaTensorBuffer,
      out: CudaTensorBuffer,
      outShape: readonly number[],
      strides: readonly number[],
      base: number,
    ): void;
    /** tan in double precision, rounded once to float32. */
    cudaTensorTanPrecise(input: CudaTensorBuffer, out: CudaTensorBuffer, n: number): void;
  }
}
