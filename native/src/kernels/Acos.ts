// Acos: elementwise acos of x.
import { Acos, type KernelConfig } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const acosConfig: KernelConfig = {
  kernelName: Acos,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Acos, { floatInput: true }),
};
