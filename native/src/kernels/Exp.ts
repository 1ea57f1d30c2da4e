// Exp: elementwise exp of x.
import { Exp, type KernelConfig } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const expConfig: KernelConfig = {
  kernelName: Exp,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Exp, { floatInput: true }),
};
