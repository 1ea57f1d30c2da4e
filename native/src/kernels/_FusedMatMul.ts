// _FusedMatMul: activation(a @ b + bias), the bias and activation applied to each output tile while it is in cache.
import { _FusedMatMul, type _FusedMatMulAttrs, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import type { RobustaBackend } from '../backend.js';
import { matMulKernel } from './matmul.js';

export const _fusedMatMulConfig: KernelConfig = {
  kernelName: _FusedMatMul,
  backendName: 'robusta',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { transposeA, transposeB, activation, leakyreluAlpha } = attrs as unknown as _FusedMatMulAttrs;
    return matMulKernel(
      backend as RobustaBackend,
      inputs.a as TensorInfo,
      inputs.b as TensorInfo,
      transposeA,
      transposeB,
      {
        bias: inputs.bias as TensorInfo | undefined,
        activation,
        preluActivationWeights: inputs.preluActivationWeights as TensorInfo | undefined,
        leakyreluAlpha,
      },
    );
  },
};
