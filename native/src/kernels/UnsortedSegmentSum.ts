// UnsortedSegmentSum (gather's gradient): rows of x summed into attrs.numSegments segments by segmentIds; ids out
// of range are dropped. The result is float32 whatever x's dtype, as on the cpu backend.
import {
  type KernelConfig,
  type TensorInfo,
  UnsortedSegmentSum,
  type UnsortedSegmentSumAttrs,
  util,
} from '@tensorflow/tfjs-core';
import { native } from '../addon.js';
import { dtypeCode, type RobustaBackend } from '../backend.js';
import './gather.js';
import { assertNumeric, ensureDtype } from './transform.js';

export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: 'robusta',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as RobustaBackend;
    assertNumeric(inputs.x as TensorInfo, 'UnsortedSegmentSum');
    const { numSegments } = attrs as unknown as UnsortedSegmentSumAttrs;
    const temps: TensorInfo[] = [];
    const x0 = inputs.x as TensorInfo;
    const x = ensureDtype(b, x0, x0.dtype === 'bool' ? 'float32' : x0.dtype, temps);
    const ids = ensureDtype(b, inputs.segmentIds as TensorInfo, 'int32', temps);
    const rowShape = x.shape.slice(ids.shape.length);
    const rows = util.sizeFromShape(ids.shape);
    const rowSize = util.sizeFromShape(rowShape);
    util.assert(
      util.sizeFromShape(x.shape) === rows * rowSize,
      () => `UnsortedSegmentSum: segmentIds of shape [${ids.shape}] do not lead x's shape [${x.shape}]`,
    );
    const out = b.makeTensorInfo([numSegments, ...rowShape], 'float32');
    native.unsortedSegmentSum(
      dtypeCode(x.dtype),
      b.storage(x),
      b.storage(ids),
      rows,
      rowSize,
      b.storage(out),
      numSegments,
    );
    for (const t of temps) b.disposeIntermediateTensorInfo(t);
    return out;
  },
};
