// Fill: a tensor of attrs.shape with every element attrs.value.
import { Fill, type FillAttrs, type KernelConfig, util } from '@tensorflow/tfjs-core';
import type { RobustaBackend } from '../backend.js';
import { filled } from './transform.js';

export const fillConfig: KernelConfig = {
  kernelName: Fill,
  backendName: 'robusta',
  kernelFunc: ({ backend, attrs }) => {
    const { shape, value, dtype } = attrs as unknown as FillAttrs;
    const $dtype = dtype ?? util.inferDtype(value);
    if ($dtype === 'string')
      return (backend as RobustaBackend).makeTensorInfo(
        shape,
        'string',
        new Array(util.sizeFromShape(shape)).fill(value),
      );
    // filled in native memory: no JS array of the tensor's size is made and copied
    return filled(backend as RobustaBackend, shape, $dtype, value as number);
  },
};
