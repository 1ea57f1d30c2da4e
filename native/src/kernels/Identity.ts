// Identity: the same data under a new tensor (shared storage, one more reference).
import { Identity, type KernelConfig } from '@tensorflow/tfjs-core';
import { identityKernelFunc } from '../block-backend.js';

export const identityConfig: KernelConfig = {
  kernelName: Identity,
  backendName: 'robusta',
  kernelFunc: identityKernelFunc,
};
