// Tile: x repeated reps[d] times along each axis d; a strided copy over [r0, d0, r1, d1, ...] whose repeat axes
// have input stride 0. tfjs's broadcastTo also runs this kernel.
import { type KernelConfig, type TensorInfo, Tile, type TileAttrs } from '@tensorflow/tfjs-core';
import type { RobustaBackend } from '../backend.js';
import { assertNumeric, contiguousStrides, copyInto } from './transform.js';

export const tileConfig: KernelConfig = {
  kernelName: Tile,
  backendName: 'robusta',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as RobustaBackend;
    const x = inputs.x as TensorInfo;
    const { reps } = attrs as unknown as TileAttrs;
    assertNumeric(x, 'Tile');
    if (reps.length !== x.shape.length) {
      throw new Error(`Tile: reps [${reps}] must have one entry per axis of x with shape [${x.shape}]`);
    }
    const outShape = x.shape.map((d, i) => d * (reps[i] as number));
    const out = b.makeTensorInfo(outShape, x.dtype);
    const xStrides = contiguousStrides(x.shape);
    const plan = x.shape.flatMap((d, i) => [reps[i] as number, d]);
    const inStrides = x.shape.flatMap((_, i) => [0, xStrides[i] as number]);
    copyInto(b, x, out, plan, inStrides);
    return out;
  },
};
