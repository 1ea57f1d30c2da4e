// Reverse: x flipped along attrs.dims; a strided copy walking those axes with negative strides.
import { type KernelConfig, Reverse, type ReverseAttrs, type TensorInfo, util } from '@tensorflow/tfjs-core';
import type { RobustaBackend } from '../backend.js';
import { assertNumeric, contiguousStrides, copyInto, reshapeShared } from './transform.js';

export const reverseConfig: KernelConfig = {
  kernelName: Reverse,
  backendName: 'robusta',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as RobustaBackend;
    const x = inputs.x as TensorInfo;
    assertNumeric(x, 'Reverse');
    if (x.shape.length === 0) return reshapeShared(b, x, []);
    const { dims } = attrs as unknown as ReverseAttrs;
    const flip = new Set(util.parseAxisParam(dims, x.shape));
    const xStrides = contiguousStrides(x.shape);
    let offset = 0;
    const strides = x.shape.map((d, i) => {
      const s = xStrides[i] as number;
      if (!flip.has(i) || d === 0) return s;
      offset += (d - 1) * s;
      return -s;
    });
    const out = b.makeTensorInfo(x.shape, x.dtype);
    copyInto(b, x, out, x.shape, strides, offset);
    return out;
  },
};
