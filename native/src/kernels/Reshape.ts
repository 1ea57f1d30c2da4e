// Reshape: the same data with a new shape (row-major order is unchanged, so storage is shared).
import { type KernelConfig, Reshape, type ReshapeAttrs, type TensorInfo, util } from '@tensorflow/tfjs-core';
import type { RobustaBackend } from '../backend.js';

export const reshapeConfig: KernelConfig = {
  kernelName: Reshape,
  backendName: 'robusta',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const { shape } = attrs as unknown as ReshapeAttrs;
    const size = util.sizeFromShape(x.shape);
    const $shape = util.inferFromImplicitShape(shape, size);
    util.assert(
      util.sizeFromShape($shape) === size,
      () => `Reshape: cannot reshape [${x.shape}] (${size} elements) to [${$shape}]`,
    );
    (backend as RobustaBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: $shape, dtype: x.dtype };
  },
};
