// OnesLike: ones with the shape and dtype of x.
import { type KernelConfig, OnesLike, type TensorInfo, util } from '@tensorflow/tfjs-core';
import type { RobustaBackend } from '../backend.js';

export const onesLikeConfig: KernelConfig = {
  kernelName: OnesLike,
  backendName: 'robusta',
  kernelFunc: ({ inputs, backend }) => {
    const x = inputs.x as TensorInfo;
    if (x.dtype === 'string') throw new Error('OnesLike is not defined for string tensors');
    const values = util.getArrayFromDType(x.dtype, util.sizeFromShape(x.shape)) as Float32Array;
    values.fill(1);
    return (backend as RobustaBackend).makeTensorInfo(x.shape, x.dtype, values);
  },
};
