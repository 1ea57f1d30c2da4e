// LogicalOr: elementwise LogicalOr of a and b, with broadcasting.
import { type KernelConfig, LogicalOr } from '@tensorflow/tfjs-core';
import { BinaryOp, binaryKernelFunc } from './elementwise.js';

export const logicalOrConfig: KernelConfig = {
  kernelName: LogicalOr,
  backendName: 'robusta',
  kernelFunc: binaryKernelFunc(BinaryOp.LogicalOr),
};
