// Sin: elementwise sin of x.
import { Sin, type KernelConfig } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const sinConfig: KernelConfig = {
  kernelName: Sin,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Sin, { floatInput: true }),
};
