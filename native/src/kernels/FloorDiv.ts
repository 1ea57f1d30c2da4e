// FloorDiv: elementwise FloorDiv of a and b, with broadcasting.
import { FloorDiv, type KernelConfig } from '@tensorflow/tfjs-core';
import { BinaryOp, binaryKernelFunc } from './elementwise.js';

export const floorDivConfig: KernelConfig = {
  kernelName: FloorDiv,
  backendName: 'robusta',
  kernelFunc: binaryKernelFunc(BinaryOp.FloorDiv),
};
