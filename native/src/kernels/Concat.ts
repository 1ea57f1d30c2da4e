// Concat: any number of inputs along attrs.axis; each input is one native strided copy into its column block.
import {
  backend_util,
  Concat,
  type ConcatAttrs,
  type KernelConfig,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import type { RobustaBackend } from '../backend.js';
import { assertNumeric, concatTensors, ensureDtype, reshapeShared } from './transform.js';

export const concatConfig: KernelConfig = {
  kernelName: Concat,
  backendName: 'robusta',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as RobustaBackend;
    const tensors = inputs as unknown as TensorInfo[];
    const { axis } = attrs as unknown as ConcatAttrs;
    const first = tensors[0] as TensorInfo;
    const $axis = util.parseAxisParam(axis, first.shape)[0] as number;
    backend_util.assertParamsConsistent(
      tensors.map((t) => t.shape),
      $axis,
    );
    for (const t of tensors) assertNumeric(t, 'Concat');
    const outShape = backend_util.computeOutShape(
      tensors.map((t) => t.shape),
      $axis,
    );
    if (util.sizeFromShape(outShape) === 0) return b.makeTensorInfo(outShape, first.dtype);
    const nonEmpty = tensors.filter((t) => util.sizeFromShape(t.shape) > 0);
    if (nonEmpty.length === 1) return reshapeShared(b, nonEmpty[0] as TensorInfo, outShape);
    // the cpu backend writes every input into an array of the first input's dtype
    const temps: TensorInfo[] = [];
    const same = nonEmpty.map((t) => ensureDtype(b, t, first.dtype, temps));
    const out = concatTensors(b, same, $axis, outShape);
    for (const t of temps) b.disposeIntermediateTensorInfo(t);
    return out;
  },
};
