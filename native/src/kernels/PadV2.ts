// PadV2 (tf.pad, Slice's gradient): a constant fill, then x copied into the interior.
import { type KernelConfig, PadV2, type PadV2Attrs, type TensorInfo } from '@tensorflow/tfjs-core';
import type { RobustaBackend } from '../backend.js';
import { assertNumeric, contiguousStrides, copyInto, filled } from './transform.js';

export const padV2Config: KernelConfig = {
  kernelName: PadV2,
  backendName: 'robusta',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as RobustaBackend;
    const x = inputs.x as TensorInfo;
    assertNumeric(x, 'PadV2');
    const { paddings, constantValue } = attrs as unknown as PadV2Attrs;
    const outShape = paddings.map((p, i) => p[0] + (x.shape[i] as number) + p[1]);
    const out = filled(b, outShape, x.dtype, constantValue);
    const outStrides = contiguousStrides(outShape);
    const offset = paddings.reduce((acc, p, d) => acc + p[0] * (outStrides[d] as number), 0);
    copyInto(b, x, out, x.shape, contiguousStrides(x.shape), 0, outStrides, offset);
    return out;
  },
};
