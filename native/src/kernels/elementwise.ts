// Shared kernel functions for elementwise ops; the op codes are generated from core/op_codes.json.
import { backend_util, type DataType, type KernelFunc, type TensorInfo, upcastType } from '@tensorflow/tfjs-core';
import { native, type Storage } from '../addon.js';
import { bytesPerElement, dtypeCode, type RobustaBackend } from '../backend.js';
import { BinaryOp, type DType, UnaryOp } from './op_codes.js';

declare module '../addon.js' {
  interface NativeAddon {
    unary(op: UnaryOp, inType: DType, input: Storage, outType: DType, out: Storage, n: number, alpha?: number): void;
    binary(
      op: BinaryOp,
      type: DType,
      a: Storage,
      aShape: readonly number[],
      b: Storage,
      bShape: readonly number[],
      out: Storage,
      outShape: readonly number[],
    ): void;
    cast(from: DType, input: Storage, to: DType, out: Storage, n: number): void;
  }
}

export { BinaryOp, UnaryOp };

const BOOL_OUTPUT_UNARY = new Set([UnaryOp.LogicalNot, UnaryOp.IsNan, UnaryOp.IsInf, UnaryOp.IsFinite]);

/** Converts a tensor to another dtype (a new tensor; the caller disposes it). */
export function castTo(backend: RobustaBackend, x: TensorInfo, dtype: DataType): TensorInfo {
  const out = backend.makeTensorInfo(x.shape, dtype);
  const n = backend.storage(x).bytes / bytesPerElement(x.dtype);
  native.cast(dtypeCode(x.dtype), backend.storage(x), dtypeCode(dtype), backend.storage(out), n);
  return out;
}

/** Kernel function of a unary op: same dtype out (bool for predicates); `Step` and `Elu`-like ops read `alpha`. */
export function unaryKernelFunc(op: UnaryOp, options: { floatInput?: boolean } = {}): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const b = backend as RobustaBackend;
    let x = inputs.x as TensorInfo;
    const toFloat = options.floatInput && x.dtype !== 'float32';
    if (toFloat) x = castTo(b, x, 'float32');
    const outType: DataType = BOOL_OUTPUT_UNARY.has(op) ? 'bool' : x.dtype;
    const out = b.makeTensorInfo(x.shape, outType);
    const n = x.shape.reduce((p, d) => p * d, 1);
    const alpha = (attrs as { alpha?: number } | undefined)?.alpha ?? 0;
    native.unary(op, dtypeCode(x.dtype), b.storage(x), dtypeCode(outType), b.storage(out), n, alpha);
    if (toFloat) b.disposeIntermediateTensorInfo(x);
    return out;
  };
}

/** Kernel function of a binary op with broadcasting; inputs of different dtypes are upcast first. */
export function binaryKernelFunc(op: BinaryOp, options: { outputDtype?: DataType } = {}): KernelFunc {
  return ({ inputs, backend }) => {
    const b = backend as RobustaBackend;
    let a = inputs.a as TensorInfo;
    let c = inputs.b as TensorInfo;
    const dtype = upcastType(a.dtype, c.dtype);
    const temps: TensorInfo[] = [];
    if (a.dtype !== dtype) {
      a = castTo(b, a, dtype);
      temps.push(a);
    }
    if (c.dtype !== dtype) {
      c = castTo(b, c, dtype);
      temps.push(c);
    }
    const outShape = backend_util.assertAndGetBroadcastShape(a.shape, c.shape);
    const outType = op >= BinaryOp.Equal ? 'bool' : (options.outputDtype ?? dtype);
    const out = b.makeTensorInfo(outShape, outType);
    native.binary(op, dtypeCode(dtype), b.storage(a), a.shape, b.storage(c), c.shape, b.storage(out), outShape);
    for (const t of temps) b.disposeIntermediateTensorInfo(t);
    if (outType !== dtype && op < BinaryOp.Equal) {
      const cast = castTo(b, out, outType);
      b.disposeIntermediateTensorInfo(out);
      return cast;
    }
    return out;
  };
}
