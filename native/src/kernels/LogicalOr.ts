// LogicalOr: elementwise LogicalOr of a and b, with broadcasting.
import { LogicalOr, type KernelConfig } from '@tensorflow/tfjs-core';
import { BinaryOp, binaryKernelFunc } from './elementwise.js';

export const logicalOrConfig: KernelConfig = {
  kernelName: LogicalOr,
  backendName: 'robusta',
  kernelFunc: binaryKernelFunc(BinaryOp.LogicalOr),
};
