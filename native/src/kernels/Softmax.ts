// Softmax: softmax along the last axis (attrs.dim), one native pass per row.
import { type KernelConfig, Softmax } from '@tensorflow/tfjs-core';
import { softmaxKernelFunc } from './reduce.js';

export const softmaxConfig: KernelConfig = {
  kernelName: Softmax,
  backendName: 'robusta',
  kernelFunc: softmaxKernelFunc(false),
};
