// Range: start, start + step, ... toward stop; the length rules (and their quirks) are the cpu backend's, the
// values are written natively, accumulated element by element in the output dtype.
import { type KernelConfig, Range, type RangeAttrs } from '@tensorflow/tfjs-core';
import { native } from '../addon.js';
import { dtypeCode, type RobustaBackend } from '../backend.js';

export const rangeConfig: KernelConfig = {
  kernelName: Range,
  backendName: 'robusta',
  kernelFunc: ({ backend, attrs }) => {
    const b = backend as RobustaBackend;
    const { start, stop, dtype } = attrs as unknown as RangeAttrs;
    let { step } = attrs as unknown as RangeAttrs;
    if (dtype !== 'float32' && dtype !== 'int32')
      throw new Error(`Range: dtype must be float32 or int32, not ${dtype}`);
    // the cpu backend's rules: an empty range for these, and only a step of exactly 1 is flipped for stop < start
    const empty = start === stop || (start < stop && step < 0) || (stop < start && step > 1);
    const n = empty ? 0 : Math.abs(Math.ceil((stop - start) / step));
    if (stop < start && step === 1) step = -1;
    const out = b.makeTensorInfo([n], dtype);
    native.rangeFill(dtypeCode(dtype), b.storage(out), n, start, step);
    return out;
  },
};
