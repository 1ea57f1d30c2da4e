// ExpandDims: a size-1 axis inserted at attrs.dim (negative counts from the end); shares x's storage.
import { ExpandDims, type ExpandDimsAttrs, type KernelConfig, type TensorInfo, util } from '@tensorflow/tfjs-core';
import type { RobustaBackend } from '../backend.js';
import { reshapeShared } from './transform.js';

export const expandDimsConfig: KernelConfig = {
  kernelName: ExpandDims,
  backendName: 'robusta',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const input = inputs.input as TensorInfo;
    const { dim } = attrs as unknown as ExpandDimsAttrs;
    const rank = input.shape.length;
    let $dim = dim;
    if (dim < 0) {
      util.assert(-(rank + 1) <= dim, () => `Axis must be in the interval [${-(rank + 1)}, ${rank}]`);
      $dim = rank + dim + 1;
    }
    const shape = input.shape.slice();
    shape.splice($dim, 0, 1);
    return reshapeShared(backend as RobustaBackend, input, shape);
  },
};
