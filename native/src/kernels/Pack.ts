// Pack (tf.stack): inputs of one shape and dtype stacked along a new axis attrs.axis.
import { type KernelConfig, Pack, type PackAttrs, type TensorInfo, util } from '@tensorflow/tfjs-core';
import type { RobustaBackend } from '../backend.js';
import { assertNumeric, concatTensors, reshapeShared } from './transform.js';

export const packConfig: KernelConfig = {
  kernelName: Pack,
  backendName: 'robusta',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as RobustaBackend;
    const tensors = inputs as unknown as TensorInfo[];
    const first = tensors[0] as TensorInfo;
    const rank = first.shape.length;
    let { axis } = attrs as unknown as PackAttrs;
    if (axis < 0) axis += rank + 1;
    util.assert(axis >= 0 && axis <= rank, () => `Pack: axis must be in [${-(rank + 1)}, ${rank}]`);
    for (const t of tensors) {
      assertNumeric(t, 'Pack');
      util.assertShapesMatch(first.shape, t.shape, 'All tensors passed to stack must have matching shapes');
      util.assert(first.dtype === t.dtype, () => 'All tensors passed to stack must have matching dtypes');
    }
    const expanded = [...first.shape.slice(0, axis), 1, ...first.shape.slice(axis)];
    if (tensors.length === 1) return reshapeShared(b, first, expanded);
    const outShape = [...first.shape.slice(0, axis), tensors.length, ...first.shape.slice(axis)];
    const views = tensors.map((t) => ({ ...t, shape: expanded }));
    return concatTensors(b, views, axis, outShape);
  },
};
