// Floor: elementwise floor of x.
import { Floor, type KernelConfig } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const floorConfig: KernelConfig = {
  kernelName: Floor,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Floor),
};
