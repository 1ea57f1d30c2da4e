// Reshape and Identity: the same device buffer under a new tensor (row-major order unchanged), one more reference.
import { Identity, type KernelConfig, Reshape, type ReshapeAttrs, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { CUDA_BACKEND_NAME, type CudaBackend } from '../backend.js';

export const reshapeConfig: KernelConfig = {
  kernelName: Reshape,
  backendName: CUDA_BACKEND_NAME,
  kernelFunc: ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const { shape } = attrs as unknown as ReshapeAttrs;
    const size = util.sizeFromShape(x.shape);
    const $shape = util.inferFromImplicitShape(shape, size);
    util.assert(
      util.sizeFromShape($shape) === size,
      () => `Reshape: cannot reshape [${x.shape}] (${size} elements) to [${$shape}]`,
    );
    (backend as CudaBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: $shape, dtype: x.dtype };
  },
};

export const identityConfig: KernelConfig = {
  kernelName: Identity,
  backendName: CUDA_BACKEND_NAME,
  kernelFunc: ({ inputs, backend }) => {
    const x = inputs.x as TensorInfo;
    (backend as CudaBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  },
};
