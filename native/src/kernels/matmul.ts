// Shared body of the BatchMatMul and _FusedMatMul kernels, the addon's matmul functions and the GEMM switches
// (implementation, micro-kernel, and the fp32/bf16 input precision of matrix products).
import type { DataType, TensorInfo } from '@tensorflow/tfjs-core';
import { native, type Storage } from '../addon.js';
import type { RobustaBackend } from '../backend.js';
import { castTo } from './elementwise.js';
import { Activation, GemmPrecision } from './op_codes.js';

/** Which GEMM runs fp32 products ('auto': OpenBLAS when it loaded at run time), and which micro-kernel ours uses. */
export interface GemmOptions {
  impl?: 'auto' | 'own' | 'openblas';
  isa?: 'auto' | 'generic' | 'avx2' | 'avx512';
  /**
   * bf16 method: true rounds inputs and runs the fp32 kernel; false uses AVX512_BF16 vdpbf16ps; 'auto' (the
   * default) picks by CPU: vdpbf16ps on AMD (faster there), rounded fp32 elsewhere (faster on Sapphire Rapids).
   */
  bf16Emulation?: boolean | 'auto';
}

/** What runs now: implementation, micro-kernel, bf16 method, and whether OpenBLAS was loaded at run time. */
export interface GemmInfo {
  impl: 'own' | 'openblas';
  isa: 'generic' | 'avx2' | 'avx512';
  bf16: 'avx512bf16' | 'emulated';
  openblas: boolean;
  /** The OpenBLAS library's path and version, or why none was loaded. */
  openblasDetail: string;
}

declare module '../addon.js' {
  interface NativeAddon {
    matMulShape(
      aShape: readonly number[],
      bShape: readonly number[],
      transposeA: boolean,
      transposeB: boolean,
    ): number[];
    matMul(
      a: Storage,
      aShape: readonly number[],
      b: Storage,
      bShape: readonly number[],
      transposeA: boolean,
      transposeB: boolean,
      out: Storage,
      precision: GemmPrecision,
      bias?: Storage | null,
      biasShape?: readonly number[] | null,
      activation?: Activation,
      alpha?: number,
      prelu?: Storage | null,
      preluShape?: readonly number[] | null,
    ): void;
    gemmConfigure(options: GemmOptions): void;
    gemmInfo(): GemmInfo;
  }
}

/** Input precision of matrix products: exact fp32, or inputs rounded to bf16 with fp32 accumulation. */
export type MatMulPrecision = 'fp32' | 'bf16';

let precision: MatMulPrecision = 'fp32';

/** Sets the precision every later BatchMatMul/_FusedMatMul on 'robusta' uses (the one mixed-precision switch). */
export function setMatMulPrecision(p: MatMulPrecision): void {
  if (p !== 'fp32' && p !== 'bf16') throw new Error(`matMul precision must be 'fp32' or 'bf16', got '${p as string}'`);
  precision = p;
}

export function getMatMulPrecision(): MatMulPrecision {
  return precision;
}

/** Runs f with matrix products at precision p, restoring the previous precision afterwards. */
export function withMatMulPrecision<T>(p: MatMulPrecision, f: () => T): T {
  const before = precision;
  setMatMulPrecision(p);
  try {
    return f();
  } finally {
    precision = before;
  }
}

/** Chooses the GEMM implementation / micro-kernel / bf16 method (tests, benchmarks); throws when unavailable. */
export function configureGemm(options: GemmOptions): void {
  native.gemmConfigure(options);
}

export function gemmInfo(): GemmInfo {
  return native.gemmInfo();
}

const ACTIVATIONS: Record<string, Activation> = {
  linear: Activation.Linear,
  relu: Activation.Relu,
  relu6: Activation.Relu6,
  elu: Activation.Elu,
  prelu: Activation.Prelu,
  leakyrelu: Activation.LeakyRelu,
  sigmoid: Activation.Sigmoid,
};

/** The fused part of _FusedMatMul: output = activation(a @ b + bias). */
export interface MatMulEpilogue {
  bias?: TensorInfo;
  activation?: string;
  preluActivationWeights?: TensorInfo;
  leakyreluAlpha?: number;
}

/**
 * a @ b with tfjs BatchMatMul semantics (transposes; batch dimensions broadcast), optionally fused with a bias
 * and an activation. Non-float inputs are computed in float32 and cast back to a's dtype, as tfjs returns it.
 */
export function matMulKernel(
  backend: RobustaBackend,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  epilogue: MatMulEpilogue = {},
): TensorInfo {
  const outShape = native.matMulShape(a.shape, b.shape, transposeA, transposeB);
  const activation = epilogue.activation == null ? Activation.None : ACTIVATIONS[epilogue.activation];
  if (activation === undefined) {
    throw new Error(`_FusedMatMul: activation '${epilogue.activation}' is not implemented on the robusta backend`);
  }
  const temps: TensorInfo[] = [];
  const asFloat = (t: TensorInfo): TensorInfo => {
    if (t.dtype === 'float32') return t;
    const c = castTo(backend, t, 'float32');
    temps.push(c);
    return c;
  };
  const fa = asFloat(a);
  const fb = asFloat(b);
  const bias = epilogue.bias ? asFloat(epilogue.bias) : undefined;
  const prelu =
    activation === Activation.Prelu && epilogue.preluActivationWeights
      ? asFloat(epilogue.preluActivationWeights)
      : undefined;
  const outDtype: DataType = a.dtype === 'float32' || a.dtype === 'bool' ? 'float32' : a.dtype;
  let out = backend.makeTensorInfo(outShape, 'float32');
  try {
    native.matMul(
      backend.storage(fa),
      fa.shape,
      backend.storage(fb),
      fb.shape,
      transposeA,
      transposeB,
      backend.storage(out),
      precision === 'bf16' ? GemmPrecision.BF16 : GemmPrecision.F32,
      bias ? backend.storage(bias) : null,
      bias ? bias.shape : null,
      activation,
      epilogue.leakyreluAlpha ?? 0.2,
      prelu ? backend.storage(prelu) : null,
      prelu ? prelu.shape : null,
    );
  } catch (e) {
    // the core refuses a bias or prelu weights that do not broadcast to the output (tfjs would enlarge it)
    backend.disposeIntermediateTensorInfo(out);
    throw e;
  } finally {
    for (const t of temps) backend.disposeIntermediateTensorInfo(t);
  }
  if (outDtype !== 'float32') {
    const cast = castTo(backend, out, outDtype);
    backend.disposeIntermediateTensorInfo(out);
    out = cast;
  }
  return out;
}
