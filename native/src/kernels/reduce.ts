// Shared kernel functions for reductions, scans (Cumsum, Cumprod) and softmax rows; op codes from core/op_codes.json.
import { backend_util, type DataType, type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { native, type Storage } from '../addon.js';
import { dtypeCode, type RobustaBackend } from '../backend.js';
import { castTo } from './elementwise.js';
import { type DType, ReduceOp, ScanOp } from './op_codes.js';
import { assertNumeric, transposeTensor } from './transform.js';

declare module '../addon.js' {
  interface NativeAddon {
    reduce(op: ReduceOp, inType: DType, x: Storage, out: Storage, outer: number, size: number, inner: number): void;
    softmaxRows(x: Storage, out: Storage, rows: number, n: number, log?: boolean): void;
    scan(
      op: ScanOp,
      inType: DType,
      x: Storage,
      out: Storage,
      outer: number,
      size: number,
      inner: number,
      exclusive: boolean,
      reverse: boolean,
    ): void;
  }
}

export { ReduceOp, ScanOp };

/** Kernel function of Cumsum / Cumprod along attrs.axis, in place as [outer, size, inner] (no transpose needed). */
export function scanKernelFunc(op: ScanOp, kernel: string): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const b = backend as RobustaBackend;
    const x = inputs.x as TensorInfo;
    assertNumeric(x, kernel);
    const { axis, exclusive, reverse } = attrs as { axis: number; exclusive: boolean; reverse: boolean };
    const a = util.parseAxisParam(axis, x.shape)[0] as number;
    const out = b.makeTensorInfo(x.shape, x.dtype === 'float32' ? 'float32' : 'int32');
    const outer = util.sizeFromShape(x.shape.slice(0, a));
    const inner = util.sizeFromShape(x.shape.slice(a + 1));
    native.scan(
      op,
      dtypeCode(x.dtype),
      b.storage(x),
      b.storage(out),
      outer,
      x.shape[a] as number,
      inner,
      !!exclusive,
      !!reverse,
    );
    return out;
  };
}

/** The output dtype the cpu backend gives (core/cpu/reduce.cc's reduceOutputType). */
export function reduceOutputDtype(op: ReduceOp, dtype: DataType): DataType {
  switch (op) {
    case ReduceOp.Sum:
    case ReduceOp.Prod:
      return dtype === 'float32' ? 'float32' : 'int32';
    case ReduceOp.Mean:
      return 'float32';
    case ReduceOp.ArgMax:
    case ReduceOp.ArgMin:
      return 'int32';
    case ReduceOp.All:
    case ReduceOp.Any:
      return 'bool';
    default:
      return dtype;
  }
}

/**
 * Reduces x over `axes` (already parsed: non-negative, unique). Axes forming one contiguous block reduce in place
 * as [outer, size, inner]; any other set is first transposed to the innermost positions, as the cpu backend does.
 */
export function reduceTensor(
  backend: RobustaBackend,
  x: TensorInfo,
  axes: number[],
  op: ReduceOp,
  keepDims: boolean,
  kernel: string,
): TensorInfo {
  assertNumeric(x, kernel);
  const rank = x.shape.length;
  const sorted = [...axes].sort((p, q) => p - q);
  const [outShape] = backend_util.computeOutAndReduceShapes(x.shape, sorted);
  const outDtype = reduceOutputDtype(op, x.dtype);
  const shape = keepDims ? backend_util.expandShapeToKeepDim(outShape, sorted) : outShape;
  const out = backend.makeTensorInfo(shape, outDtype);
  let src = x;
  let outer: number;
  let size: number;
  let inner: number;
  const contiguous = sorted.every((a, i) => i === 0 || a === (sorted[i - 1] as number) + 1);
  if (sorted.length === 0) {
    [outer, size, inner] = [util.sizeFromShape(x.shape), 1, 1];
  } else if (contiguous) {
    const first = sorted[0] as number;
    const last = sorted[sorted.length - 1] as number;
    outer = util.sizeFromShape(x.shape.slice(0, first));
    size = util.sizeFromShape(x.shape.slice(first, last + 1));
    inner = util.sizeFromShape(x.shape.slice(last + 1));
  } else {
    const perm = backend_util.getAxesPermutation(sorted, rank) as number[];
    src = transposeTensor(backend, x, perm);
    size = util.sizeFromShape(sorted.map((a) => x.shape[a] as number));
    outer = util.sizeFromShape(outShape);
    inner = 1;
  }
  native.reduce(op, dtypeCode(x.dtype), backend.storage(src), backend.storage(out), outer, size, inner);
  if (src !== x) backend.disposeIntermediateTensorInfo(src);
  return out;
}

/** Kernel function of a reduction whose axes come from attrs[axisAttr] (tfjs names it `axis`, Max `reductionIndices`). */
export function reduceKernelFunc(op: ReduceOp, kernel: string, axisAttr = 'axis'): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const a = attrs as Record<string, unknown>;
    let axes = util.parseAxisParam(a[axisAttr] as number | number[], x.shape);
    // ArgMax/ArgMin reduce one axis (the first given), as the cpu backend does
    if (op === ReduceOp.ArgMax || op === ReduceOp.ArgMin) axes = axes.slice(0, 1);
    return reduceTensor(backend as RobustaBackend, x, [...new Set(axes)], op, a.keepDims === true, kernel);
  };
}

/** Kernel function of Softmax / LogSoftmax along the last axis (the only axis tfjs supports). */
export function softmaxKernelFunc(log: boolean): KernelFunc {
  const kernel = log ? 'LogSoftmax' : 'Softmax';
  return ({ inputs, backend, attrs }) => {
    const b = backend as RobustaBackend;
    let logits = inputs.logits as TensorInfo;
    assertNumeric(logits, kernel);
    const rank = logits.shape.length;
    const a = attrs as Record<string, unknown>;
    let dim = (log ? a.axis : a.dim) as number;
    if (dim === -1) dim = rank - 1;
    if (dim !== rank - 1) {
      throw new Error(
        `${kernel} along a non-last dimension is not yet supported. Logits was rank ${rank} and dim was ${dim}`,
      );
    }
    util.parseAxisParam([dim], logits.shape);
    const toFloat = logits.dtype !== 'float32';
    if (toFloat) logits = castTo(b, logits, 'float32');
    const n = logits.shape[rank - 1] as number;
    const total = util.sizeFromShape(logits.shape);
    const out = b.makeTensorInfo(logits.shape, 'float32');
    if (total > 0) native.softmaxRows(b.storage(logits), b.storage(out), total / n, n, log);
    if (toFloat) b.disposeIntermediateTensorInfo(logits);
    return out;
  };
}
