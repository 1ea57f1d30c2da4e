// Sin: elementwise sin of x.
import { type KernelConfig, Sin } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const sinConfig: KernelConfig = {
  kernelName: Sin,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Sin, { floatInput: true }),
};
