// ZerosLike: zeros with the shape and dtype of x.
import { type KernelConfig, type TensorInfo, util, ZerosLike } from '@tensorflow/tfjs-core';
import type { RobustaBackend } from '../backend.js';

export const zerosLikeConfig: KernelConfig = {
  kernelName: ZerosLike,
  backendName: 'robusta',
  kernelFunc: ({ inputs, backend }) => {
    const x = inputs.x as TensorInfo;
    const values = util.getArrayFromDType(x.dtype, util.sizeFromShape(x.shape)) as Float32Array;
    return (backend as RobustaBackend).makeTensorInfo(x.shape, x.dtype, values);
  },
};
