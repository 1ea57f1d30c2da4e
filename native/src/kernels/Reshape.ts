// Reshape: the same data with a new shape (row-major order is unchanged, so storage is shared).
import { type KernelConfig, Reshape } from '@tensorflow/tfjs-core';
import { reshapeKernelFunc } from '../block-backend.js';

export const reshapeConfig: KernelConfig = {
  kernelName: Reshape,
  backendName: 'robusta',
  kernelFunc: reshapeKernelFunc,
};
