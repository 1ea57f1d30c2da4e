// GatherV2 (tf.gather): slices of x along attrs.axis picked by int32 indices, with attrs.batchDims leading batch
// axes. An index outside [0, x.shape[axis]) is an error, as on the cpu backend (checked natively before copying).
import {
  backend_util,
  GatherV2,
  type GatherV2Attrs,
  type KernelConfig,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { native } from '../addon.js';
import { bytesPerElement, type RobustaBackend } from '../backend.js';
import './gather.js';
import { assertNumeric, ensureDtype } from './transform.js';

export const gatherV2Config: KernelConfig = {
  kernelName: GatherV2,
  backendName: 'robusta',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as RobustaBackend;
    const x = inputs.x as TensorInfo;
    assertNumeric(x, 'GatherV2');
    const { axis, batchDims } = attrs as unknown as GatherV2Attrs;
    const parsedAxis = util.parseAxisParam(axis, x.shape)[0] as number;
    const temps: TensorInfo[] = [];
    const indices = ensureDtype(b, inputs.indices as TensorInfo, 'int32', temps);
    const info = backend_util.segment_util.collectGatherOpShapeInfo(
      x as never,
      indices as never,
      parsedAxis,
      batchDims ?? 0,
    );
    const indicesSize = util.sizeFromShape(indices.shape);
    const perBatch = info.batchSize > 0 ? indicesSize / info.batchSize : 0;
    const out = b.makeTensorInfo(info.outputShape, x.dtype);
    try {
      native.gatherRows(
        bytesPerElement(x.dtype),
        b.storage(x),
        b.storage(indices),
        b.storage(out),
        info.batchSize,
        info.outerSize,
        info.dimSize,
        info.sliceSize,
        perBatch,
      );
    } catch (e) {
      b.disposeIntermediateTensorInfo(out);
      throw e;
    } finally {
      for (const t of temps) b.disposeIntermediateTensorInfo(t);
    }
    return out;
  },
};
