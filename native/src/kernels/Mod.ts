// Mod: elementwise Mod of a and b, with broadcasting.
import { type KernelConfig, Mod } from '@tensorflow/tfjs-core';
import { BinaryOp, binaryKernelFunc } from './elementwise.js';

export const modConfig: KernelConfig = {
  kernelName: Mod,
  backendName: 'robusta',
  kernelFunc: binaryKernelFunc(BinaryOp.Mod),
};
