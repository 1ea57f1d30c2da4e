// Elementwise unary and binary kernels of 'robusta-cuda' (float32 compute, broadcasting), one config per tfjs kernel
// name: the CUDA kernels and the CPU core expand the same op lists (core/op_codes.json), so the op id is shared.
import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo, upcastType } from '@tensorflow/tfjs-core';
import { native } from '../../addon.js';
import { BinaryOp, UnaryOp } from '../../kernels/elementwise.js';
import { CUDA_BACKEND_NAME, type CudaBackend, requireFloat32 } from '../backend.js';
import { castTensor } from './Cast.js';

const BOOL_OUTPUT_UNARY = new Set([UnaryOp.LogicalNot, UnaryOp.IsNan, UnaryOp.IsInf, UnaryOp.IsFinite]);
const LOGICAL = new Set([BinaryOp.LogicalAnd, BinaryOp.LogicalOr, BinaryOp.LogicalXor]);

/** tfjs kernel name of each binary op where it differs from the enum name. */
const BINARY_NAMES: Partial<Record<BinaryOp, string>> = { [BinaryOp.Mul]: 'Multiply' };

/** Bool inputs become float32 0/1 exactly; int32 is not computed on yet (a clear error, not a rounded result). */
function asFloat(b: CudaBackend, kernel: string, x: TensorInfo, temps: TensorInfo[]): TensorInfo {
  if (x.dtype === 'bool') {
    const f = castTensor(b, x, 'float32');
    temps.push(f);
    return f;
  }
  requireFloat32(kernel, x);
  return x;
}

function unaryKernel(op: UnaryOp): KernelFunc {
  const name = UnaryOp[op];
  return ({ inputs, backend, attrs }) => {
    const b = backend as CudaBackend;
    const temps: TensorInfo[] = [];
    const input = inputs.x as TensorInfo;
    // bool is accepted where tfjs's op is logical or a predicate; elsewhere only float32
    const x = op === UnaryOp.LogicalNot ? asFloat(b, name, input, temps) : input;
    requireFloat32(name, x);
    const out = b.makeTensorInfo(input.shape, BOOL_OUTPUT_UNARY.has(op) ? 'bool' : 'float32');
    const n = input.shape.reduce((p, d) => p * d, 1);
    const alpha = (attrs as { alpha?: number } | undefined)?.alpha ?? 0;
    // tanf's few-ulp argument error blows up near the poles; tfjs's reference is double-precision Math.tan
    if (op === UnaryOp.Tan) native.cudaTensorTanPrecise(b.buffer(x), b.buffer(out), n);
    else native.cudaUnary(op, b.buffer(x), b.buffer(out), n, alpha);
    for (const t of temps) b.disposeIntermediateTensorInfo(t);
    return out;
  };
}

function binaryKernel(op: BinaryOp): KernelFunc {
  const name = BINARY_NAMES[op] ?? BinaryOp[op];
  const outputsBool = op >= BinaryOp.Equal;
  return ({ inputs, backend }) => {
    const b = backend as CudaBackend;
    const a0 = inputs.a as TensorInfo;
    const b0 = inputs.b as TensorInfo;
    const dtype = upcastType(a0.dtype, b0.dtype);
    // comparisons and logical ops on bools are exact in float32; arithmetic keeps tfjs's float32-only rule here
    if (dtype !== 'float32' && !(dtype === 'bool' && outputsBool)) {
      throw new Error(`${name}: the robusta-cuda backend computes on float32 only so far, got ${dtype}`);
    }
    if (LOGICAL.has(op) && dtype !== 'bool') {
      throw new Error(`${name}: expects bool tensors, got ${a0.dtype} and ${b0.dtype}`);
    }
    const temps: TensorInfo[] = [];
    const a = a0.dtype === 'float32' ? a0 : temps[temps.push(castTensor(b, a0, 'float32')) - 1];
    const c = b0.dtype === 'float32' ? b0 : temps[temps.push(castTensor(b, b0, 'float32')) - 1];
    const outShape = backend_util.assertAndGetBroadcastShape(a0.shape, b0.shape);
    const out = b.makeTensorInfo(outShape, outputsBool ? 'bool' : 'float32');
    native.cudaBinary(
      op,
      b.buffer(a as TensorInfo),
      a0.shape,
      b.buffer(c as TensorInfo),
      b0.shape,
      b.buffer(out),
      outShape,
    );
    for (const t of temps) b.disposeIntermediateTensorInfo(t);
    return out;
  };
}

const unaryOps = Object.values(UnaryOp).filter((v): v is UnaryOp => typeof v === 'number');
const binaryOps = Object.values(BinaryOp).filter((v): v is BinaryOp => typeof v === 'number');

export const elementwiseConfigs: KernelConfig[] = [
  ...unaryOps.map((op) => ({ kernelName: UnaryOp[op], backendName: CUDA_BACKEND_NAME, kernelFunc: unaryKernel(op) })),
  ...binaryOps.map((op) => ({
    kernelName: BINARY_NAMES[op] ?? BinaryOp[op],
    backendName: CUDA_BACKEND_NAME,
    kernelFunc: binaryKernel(op),
  })),
];
