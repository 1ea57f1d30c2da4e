// Cumsum: running sum along attrs.axis (exclusive, reverse flags); int32 for int32/bool input, as on cpu.
import { Cumsum, type KernelConfig } from '@tensorflow/tfjs-core';
import { ScanOp, scanKernelFunc } from './reduce.js';

export const cumsumConfig: KernelConfig = {
  kernelName: Cumsum,
  backendName: 'robusta',
  kernelFunc: scanKernelFunc(ScanOp.Sum, 'Cumsum'),
};
