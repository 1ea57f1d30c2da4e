// Reshape and Identity: the same device buffer under a new tensor (row-major order unchanged), one more reference.
import { Identity, type KernelConfig, Reshape } from '@tensorflow/tfjs-core';
import { identityKernelFunc, reshapeKernelFunc } from '../../block-backend.js';
import { CUDA_BACKEND_NAME } from '../backend.js';

export const reshapeConfig: KernelConfig = {
  kernelName: Reshape,
  backendName: CUDA_BACKEND_NAME,
  kernelFunc: reshapeKernelFunc,
};

export const identityConfig: KernelConfig = {
  kernelName: Identity,
  backendName: CUDA_BACKEND_NAME,
  kernelFunc: identityKernelFunc,
};
