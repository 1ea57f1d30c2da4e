// Asin: elementwise asin of x.
import { Asin, type KernelConfig } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const asinConfig: KernelConfig = {
  kernelName: Asin,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Asin, { floatInput: true }),
};
