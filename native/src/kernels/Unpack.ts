// Unpack (tf.unstack): one output per index along attrs.axis, each a native strided copy.
import { type KernelConfig, type TensorInfo, Unpack, type UnpackAttrs, util } from '@tensorflow/tfjs-core';
import type { RobustaBackend } from '../backend.js';
import { assertNumeric, copyInto } from './transform.js';

export const unpackConfig: KernelConfig = {
  kernelName: Unpack,
  backendName: 'robusta',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as RobustaBackend;
    const value = inputs.value as TensorInfo;
    assertNumeric(value, 'Unpack');
    let { axis } = attrs as unknown as UnpackAttrs;
    const rank = value.shape.length;
    if (axis < 0) axis += rank;
    util.assert(axis >= 0 && axis < rank, () => `Unpack: axis must be in [${-rank}, ${rank - 1}]`);
    const num = value.shape[axis] as number;
    const outShape = value.shape.filter((_, i) => i !== axis);
    const outer = util.sizeFromShape(value.shape.slice(0, axis));
    const inner = util.sizeFromShape(value.shape.slice(axis + 1));
    const outs: TensorInfo[] = [];
    for (let i = 0; i < num; i++) {
      const out = b.makeTensorInfo(outShape, value.dtype);
      if (outer * inner > 0) copyInto(b, value, out, [outer, inner], [num * inner, 1], i * inner);
      outs.push(out);
    }
    return outs;
  },
};
