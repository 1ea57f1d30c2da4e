// Transpose and Reverse as strided copies: out dim j reads input dim perm[j]; reversed axes walk backwards.
import {
  type KernelConfig,
  Reverse,
  type ReverseAttrs,
  type TensorInfo,
  Transpose,
  type TransposeAttrs,
  util,
} from '@tensorflow/tfjs-core';
import { CUDA_BACKEND_NAME, type CudaBackend, requireNumeric, rowMajorStrides, stridedCopy } from '../backend.js';

/** A new tensor holding `x` with its axes permuted by `perm`. */
export function transposeTensor(b: CudaBackend, x: TensorInfo, perm: number[]): TensorInfo {
  const strides = rowMajorStrides(x.shape);
  return stridedCopy(
    b,
    x,
    perm.map((d) => x.shape[d] as number),
    perm.map((d) => strides[d] as number),
    0,
  );
}

export const transposeConfig: KernelConfig = {
  kernelName: Transpose,
  backendName: CUDA_BACKEND_NAME,
  kernelFunc: ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    requireNumeric('Transpose', x);
    const { perm } = attrs as unknown as TransposeAttrs;
    return transposeTensor(backend as CudaBackend, x, perm);
  },
};

export const reverseConfig: KernelConfig = {
  kernelName: Reverse,
  backendName: CUDA_BACKEND_NAME,
  kernelFunc: ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    requireNumeric('Reverse', x);
    const { dims } = attrs as unknown as ReverseAttrs;
    const axes = new Set(util.parseAxisParam(dims, x.shape));
    const strides = rowMajorStrides(x.shape);
    let base = 0;
    const walk = strides.map((s, d) => {
      if (!axes.has(d)) return s;
      base += ((x.shape[d] as number) - 1) * s;
      return -s;
    });
    return stridedCopy(backend as CudaBackend, x, [...x.shape], walk, base);
  },
};
