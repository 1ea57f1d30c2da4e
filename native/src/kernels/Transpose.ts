// Transpose: out.shape[i] = x.shape[perm[i]], one native strided copy.
import { type KernelConfig, type TensorInfo, Transpose, type TransposeAttrs } from '@tensorflow/tfjs-core';
import type { RobustaBackend } from '../backend.js';
import { transposeTensor } from './transform.js';

export const transposeConfig: KernelConfig = {
  kernelName: Transpose,
  backendName: 'robusta',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { perm } = attrs as unknown as TransposeAttrs;
    return transposeTensor(backend as RobustaBackend, inputs.x as TensorInfo, perm);
  },
};
