// OnesLike: ones with the shape and dtype of x.
import { type KernelConfig, OnesLike, type TensorInfo } from '@tensorflow/tfjs-core';
import type { RobustaBackend } from '../backend.js';
import { filled } from './transform.js';

export const onesLikeConfig: KernelConfig = {
  kernelName: OnesLike,
  backendName: 'robusta',
  kernelFunc: ({ inputs, backend }) => {
    const x = inputs.x as TensorInfo;
    if (x.dtype === 'string') throw new Error('OnesLike is not defined for string tensors');
    return filled(backend as RobustaBackend, x.shape, x.dtype, 1);
  },
};
