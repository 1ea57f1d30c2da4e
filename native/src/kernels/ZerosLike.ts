// ZerosLike: zeros with the shape and dtype of x.
import { type KernelConfig, type TensorInfo, ZerosLike } from '@tensorflow/tfjs-core';
import type { RobustaBackend } from '../backend.js';
import { filled } from './transform.js';

export const zerosLikeConfig: KernelConfig = {
  kernelName: ZerosLike,
  backendName: 'robusta',
  kernelFunc: ({ inputs, backend }) => {
    const x = inputs.x as TensorInfo;
    if (x.dtype === 'string') throw new Error('ZerosLike is not defined for string tensors');
    return filled(backend as RobustaBackend, x.shape, x.dtype, 0);
  },
};
