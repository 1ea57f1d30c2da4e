// Relu6: elementwise relu6 of x.
import { type KernelConfig, Relu6 } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const relu6Config: KernelConfig = {
  kernelName: Relu6,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Relu6),
};
