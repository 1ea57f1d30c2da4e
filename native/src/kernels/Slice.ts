// Slice: the box x[begin : begin + size] (size -1 means "to the end"), one native strided copy.
import { type KernelConfig, Slice, type SliceAttrs, slice_util, type TensorInfo } from '@tensorflow/tfjs-core';
import type { RobustaBackend } from '../backend.js';
import { sliceTensor } from './transform.js';

export const sliceConfig: KernelConfig = {
  kernelName: Slice,
  backendName: 'robusta',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const { begin, size } = attrs as unknown as SliceAttrs;
    const [$begin, $size] = slice_util.parseSliceParams(x, begin, size) as [number[], number[]];
    slice_util.assertParamsValid(x, $begin, $size);
    return sliceTensor(backend as RobustaBackend, x, $begin, $size);
  },
};
