// SplitV (tf.split, Concat's gradient): consecutive slices along attrs.axis of the given sizes.
import {
  backend_util,
  type KernelConfig,
  SplitV,
  type SplitVAttrs,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import type { RobustaBackend } from '../backend.js';
import { sliceTensor } from './transform.js';

export const splitVConfig: KernelConfig = {
  kernelName: SplitV,
  backendName: 'robusta',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const { numOrSizeSplits, axis } = attrs as unknown as SplitVAttrs;
    const $axis = util.parseAxisParam(axis, x.shape)[0] as number;
    const sizes = backend_util.prepareSplitSize(x, numOrSizeSplits, $axis);
    const begin = new Array<number>(x.shape.length).fill(0);
    return sizes.map((s) => {
      const size = x.shape.slice();
      size[$axis] = s;
      const part = sliceTensor(backend as RobustaBackend, x, begin, size);
      begin[$axis] = (begin[$axis] as number) + s;
      return part;
    });
  },
};
