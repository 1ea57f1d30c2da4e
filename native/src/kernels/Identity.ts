// Identity: the same data under a new tensor (shared storage, one more reference).
import { Identity, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import type { RobustaBackend } from '../backend.js';

export const identityConfig: KernelConfig = {
  kernelName: Identity,
  backendName: 'robusta',
  kernelFunc: ({ inputs, backend }) => {
    const x = inputs.x as TensorInfo;
    (backend as RobustaBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  },
};
