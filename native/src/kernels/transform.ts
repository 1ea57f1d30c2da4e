// Shared helpers for data-movement kernels: every copy is one native strided copy (core/cpu/transform.h) whose plan
// is computed here from shapes; also constant fills, select and range.
import { type DataType, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { native, type Storage } from '../addon.js';
import { bytesPerElement, dtypeCode, type RobustaBackend } from '../backend.js';
import { castTo } from './elementwise.js';
import type { DType } from './op_codes.js';

declare module '../addon.js' {
  interface NativeAddon {
    stridedCopy(
      elemBytes: number,
      input: Storage,
      out: Storage,
      shape: readonly number[],
      inStrides: readonly number[],
      outStrides: readonly number[],
      inOffset: number,
      outOffset: number,
    ): void;
    fillConstant(dtype: DType, out: Storage, n: number, value: number): void;
    selectWhere(
      elemBytes: number,
      cond: Storage,
      condShape: readonly number[],
      t: Storage,
      tShape: readonly number[],
      e: Storage,
      eShape: readonly number[],
      out: Storage,
      outShape: readonly number[],
    ): void;
    rangeFill(dtype: DType, out: Storage, n: number, start: number, step: number): void;
  }
}

/** Row-major strides of every axis (util.computeStrides leaves out the last one). */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d] as number;
  }
  return strides;
}

/** Numeric tensors only: strings stay in JS on this backend and no data-movement kernel here handles them. */
export function assertNumeric(x: TensorInfo, kernel: string): void {
  if (x.dtype === 'string' || x.dtype === 'complex64') {
    throw new Error(`${kernel}: the robusta backend does not support ${x.dtype} tensors`);
  }
}

/** The same data under a new shape (shared storage, one more reference), as Reshape does. */
export function reshapeShared(backend: RobustaBackend, x: TensorInfo, shape: number[]): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape, dtype: x.dtype };
}

/**
 * Copies `shape` elements from x (at `inOffset`, walking `inStrides`) into `out` (at `outOffset`, walking
 * `outStrides`, by default out's own row-major layout of `shape`).
 */
export function copyInto(
  backend: RobustaBackend,
  x: TensorInfo,
  out: TensorInfo,
  shape: readonly number[],
  inStrides: readonly number[],
  inOffset = 0,
  outStrides: readonly number[] = contiguousStrides(shape),
  outOffset = 0,
): void {
  native.stridedCopy(
    bytesPerElement(x.dtype),
    backend.storage(x),
    backend.storage(out),
    shape,
    inStrides,
    outStrides,
    inOffset,
    outOffset,
  );
}

/** x with its axes permuted: out.shape[i] = x.shape[perm[i]]. */
export function transposeTensor(backend: RobustaBackend, x: TensorInfo, perm: readonly number[]): TensorInfo {
  assertNumeric(x, 'Transpose');
  if (perm.length !== x.shape.length) {
    throw new Error(`Transpose: perm [${perm}] does not match the rank of x with shape [${x.shape}]`);
  }
  const xStrides = contiguousStrides(x.shape);
  const outShape = perm.map((p) => x.shape[p] as number);
  const out = backend.makeTensorInfo(outShape, x.dtype);
  copyInto(
    backend,
    x,
    out,
    outShape,
    perm.map((p) => xStrides[p] as number),
  );
  return out;
}

/** The box x[begin : begin + size] (validated by the caller). */
export function sliceTensor(
  backend: RobustaBackend,
  x: TensorInfo,
  begin: readonly number[],
  size: readonly number[],
): TensorInfo {
  assertNumeric(x, 'Slice');
  const xStrides = contiguousStrides(x.shape);
  const out = backend.makeTensorInfo([...size], x.dtype);
  const offset = begin.reduce((acc, b, d) => acc + b * (xStrides[d] as number), 0);
  copyInto(backend, x, out, size, xStrides, offset);
  return out;
}

/** Concatenates tensors of one dtype along `axis` (shapes already checked); empty inputs are skipped. */
export function concatTensors(
  backend: RobustaBackend,
  inputs: TensorInfo[],
  axis: number,
  outShape: number[],
): TensorInfo {
  const dtype = (inputs[0] as TensorInfo).dtype;
  const out = backend.makeTensorInfo(outShape, dtype);
  const outer = util.sizeFromShape(outShape.slice(0, axis));
  const outInner = util.sizeFromShape(outShape.slice(axis));
  let column = 0;
  for (const t of inputs) {
    const inner = util.sizeFromShape(t.shape.slice(axis));
    if (inner > 0 && outer > 0) copyInto(backend, t, out, [outer, inner], [inner, 1], 0, [outInner, 1], column);
    column += inner;
  }
  return out;
}

/** A new tensor of `shape` with every element `value`. */
export function filled(backend: RobustaBackend, shape: number[], dtype: DataType, value: number): TensorInfo {
  const out = backend.makeTensorInfo(shape, dtype);
  native.fillConstant(dtypeCode(dtype), backend.storage(out), util.sizeFromShape(shape), value);
  return out;
}

/** x converted to dtype when it differs (a temporary the caller disposes, listed in `temps`). */
export function ensureDtype(backend: RobustaBackend, x: TensorInfo, dtype: DataType, temps: TensorInfo[]): TensorInfo {
  if (x.dtype === dtype) return x;
  const c = castTo(backend, x, dtype);
  temps.push(c);
  return c;
}
