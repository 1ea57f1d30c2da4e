// Elu: elementwise elu of x.
import { Elu, type KernelConfig } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const eluConfig: KernelConfig = {
  kernelName: Elu,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Elu, { floatInput: true }),
};
