// Cumprod (Prod's gradient): running product along attrs.axis (exclusive, reverse flags).
import { Cumprod, type KernelConfig } from '@tensorflow/tfjs-core';
import { ScanOp, scanKernelFunc } from './reduce.js';

export const cumprodConfig: KernelConfig = {
  kernelName: Cumprod,
  backendName: 'robusta',
  kernelFunc: scanKernelFunc(ScanOp.Prod, 'Cumprod'),
};
