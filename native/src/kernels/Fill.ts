// Fill: a tensor of attrs.shape with every element attrs.value.
import { Fill, type FillAttrs, type KernelConfig, util } from '@tensorflow/tfjs-core';
import type { RobustaBackend } from '../backend.js';

export const fillConfig: KernelConfig = {
  kernelName: Fill,
  backendName: 'robusta',
  kernelFunc: ({ backend, attrs }) => {
    const { shape, value, dtype } = attrs as unknown as FillAttrs;
    const $dtype = dtype ?? util.inferDtype(value);
    const n = util.sizeFromShape(shape);
    if ($dtype === 'string')
      return (backend as RobustaBackend).makeTensorInfo(shape, 'string', new Array(n).fill(value));
    const values = util.getArrayFromDType($dtype, n) as Float32Array | Int32Array | Uint8Array;
    values.fill(value as number);
    return (backend as RobustaBackend).makeTensorInfo(shape, $dtype, values);
  },
};
