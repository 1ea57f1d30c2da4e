// BatchMatMul: a @ b over broadcast batch dimensions, with transposeA/transposeB (our GEMM or OpenBLAS).
import { BatchMatMul, type BatchMatMulAttrs, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import type { RobustaBackend } from '../backend.js';
import { matMulKernel } from './matmul.js';

export const batchMatMulConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: 'robusta',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
    return matMulKernel(
      backend as RobustaBackend,
      inputs.a as TensorInfo,
      inputs.b as TensorInfo,
      transposeA,
      transposeB,
    );
  },
};
