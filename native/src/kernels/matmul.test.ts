// BatchMatMul / _FusedMatMul on 'robusta': our GEMM (every micro-kernel this CPU has) and OpenBLAS against a float64
// reference and tfjs's cpu backend; the bf16 path; shape errors; gradients through tf.matMul.
import { readFileSync } from 'node:fs';
import '@tensorflow/tfjs-backend-cpu';
import { reference as fusedReference, tf as rtf } from '@robusta/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openblasOff, openblasRequirement } from '../../test/support/openblas.js';
import { native } from '../addon.js';
import '../index.js';
import { configureGemm, gemmInfo, setMatMulPrecision, withMatMulPrecision } from './matmul.js';

const rand = fusedReference.seededUniform;

const size = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);

/** Rounds to the nearest bf16 (ties to even), as the bf16 path does to its inputs. */
function bf16(x: number): number {
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer);
  const v = u[0] as number;
  u[0] = ((v + 0x7fff + ((v >>> 16) & 1)) >>> 16) << 16;
  return f[0] as number;
}

interface Ref {
  shape: number[];
  values: Float64Array;
  /** sum over k of |a||b| per output: the scale of the rounding error bound */
  absSum: Float64Array;
  K: number;
}

/** Float64 BatchMatMul with NumPy broadcasting of the batch dimensions. */
function reference(
  a: Float32Array,
  as: number[],
  b: Float32Array,
  bs: number[],
  tA: boolean,
  tB: boolean,
  round?: (x: number) => number,
): Ref {
  // round once up front: the inner loop then reads plain floats
  if (round) {
    a = a.map(round);
    b = b.map(round);
  }
  const M = tA ? (as.at(-1) as number) : (as.at(-2) as number);
  const K = tA ? (as.at(-2) as number) : (as.at(-1) as number);
  const N = tB ? (bs.at(-2) as number) : (bs.at(-1) as number);
  const ba = as.slice(0, -2);
  const bb = bs.slice(0, -2);
  const rank = Math.max(ba.length, bb.length);
  const pad = (s: number[]) => [...new Array(rank - s.length).fill(1), ...s];
  const pa = pad(ba);
  const pb = pad(bb);
  const batchShape = pa.map((d, i) => Math.max(d, pb[i] as number));
  const batch = size(batchShape);
  const values = new Float64Array(batch * M * N);
  const absSum = new Float64Array(batch * M * N);
  for (let bi = 0; bi < batch; bi++) {
    let rem = bi;
    let ia = 0;
    let ib = 0;
    let sa = 1;
    let sb = 1;
    for (let d = rank - 1; d >= 0; d--) {
      const idx = rem % (batchShape[d] as number);
      rem = Math.floor(rem / (batchShape[d] as number));
      ia += ((pa[d] as number) === 1 ? 0 : idx) * sa;
      ib += ((pb[d] as number) === 1 ? 0 : idx) * sb;
      sa *= pa[d] as number;
      sb *= pb[d] as number;
    }
    for (let m = 0; m < M; m++) {
      for (let n = 0; n < N; n++) {
        let s = 0;
        let abs = 0;
        for (let k = 0; k < K; k++) {
          const x = a[ia * M * K + (tA ? k * M + m : m * K + k)] as number;
          const y = b[ib * K * N + (tB ? n * K + k : k * N + n)] as number;
          s += x * y;
          abs += Math.abs(x * y);
        }
        values[(bi * M + m) * N + n] = s;
        absSum[(bi * M + m) * N + n] = abs;
      }
    }
  }
  return { shape: [...batchShape, M, N], values, absSum, K };
}

/** |got - want| within relTol * sum|a||b| (+ a tiny absolute floor), element by element. */
function expectNear(got: ArrayLike<number>, ref: Ref, relTol: number, label: string): void {
  expect(got.length, label).toBe(ref.values.length);
  for (let i = 0; i < ref.values.length; i++) {
    const err = Math.abs((got[i] as number) - (ref.values[i] as number));
    const tol = relTol * (ref.absSum[i] as number) + 1e-30;
    if (!(err <= tol))
      expect.fail(`${label}: index ${i}: got ${got[i]}, want ${ref.values[i]} (error ${err} > ${tol})`);
  }
}

/** Element `i` (flat, row-major) of `out`-shaped broadcast of `values` (shape `shape`, NumPy rules). */
function broadcastAt(values: Float32Array, shape: readonly number[], out: readonly number[], i: number): number {
  let flat = 0;
  let stride = 1;
  let rem = i;
  for (let d = out.length - 1, e = shape.length - 1; d >= 0; d--, e--) {
    const idx = rem % (out[d] as number);
    rem = Math.floor(rem / (out[d] as number));
    if (e < 0) continue;
    const n = shape[e] as number;
    flat += (n === 1 ? 0 : idx) * stride;
    stride *= n;
  }
  return values[flat] as number;
}

/** tfjs's fused activations in float64; `slope` is prelu's weight at this element or leakyrelu's alpha. */
function activate(x: number, activation: string, slope: number): number {
  switch (activation) {
    case 'linear':
      return x;
    case 'relu':
      return Math.max(0, x);
    case 'relu6':
      return Math.min(Math.max(0, x), 6);
    case 'elu':
      return x > 0 ? x : Math.expm1(x);
    case 'prelu':
    case 'leakyrelu':
      return x < 0 ? slope * x : x;
    case 'sigmoid':
      return 1 / (1 + Math.exp(-x));
    default:
      throw new Error(`activate: unknown activation '${activation}'`);
  }
}

/** The worst-case bound of an fp32 dot product of length K, relative to sum |a||b|. */
const fp32Bound = (K: number) => (K + 2) * 2 ** -24;

function closeTo(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, label: string): void {
  expect(got.length, label).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as number;
    const g = got[i] as number;
    if (Number.isNaN(w)) expect(Number.isNaN(g), `${label} index ${i}`).toBe(true);
    else if (!(Math.abs(g - w) <= tol * Math.max(1, Math.abs(w)))) expect.fail(`${label}: index ${i}: ${g} vs ${w}`);
  }
}

// [aShape, bShape, transposeA, transposeB]
const CASES: [number[], number[], boolean, boolean][] = [
  [[1, 1], [1, 1], false, false],
  [[1, 37], [37, 53], false, false], // 1 x N
  [[53, 37], [37, 1], false, false], // N x 1
  [[13, 1], [1, 17], false, false], // K = 1
  [[0, 5], [5, 3], false, false], // empty M
  [[4, 0], [0, 3], false, false], // K = 0: zeros
  [[3, 5], [5, 0], false, false], // empty N
  [[12, 32], [32, 32], false, false], // one exact AVX-512 tile
  [[13, 33], [33, 31], false, false], // odd edges
  [[29, 300], [300, 71], false, false], // two depth blocks
  [[300, 29], [71, 300], true, true],
  [[29, 300], [71, 300], false, true],
  [[300, 29], [300, 71], true, false],
  [[67, 45], [45, 1100], false, false], // two column groups
  [[3, 7, 9], [3, 9, 5], false, false], // batched
  [[3, 9, 7], [3, 5, 9], true, true],
  [[2, 1, 6, 4], [1, 3, 4, 5], false, false], // both batch shapes broadcast
  [[4, 6, 8], [8, 10], false, false], // rank mismatch: b broadcast over the batch
  [[6, 8], [5, 8, 10], false, false],
  [[12, 20, 16], [12, 16, 20], false, false], // many small matrices: split by batch
];

const info = gemmInfo();
const withOpenblas = openblasRequirement(info.openblas, info.openblasDetail);

/** The CPU's feature flags as Linux reports them (the first processor's `flags` line of /proc/cpuinfo). */
const cpuFlags = new Set(
  (readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:(.*)$/m)?.[1] ?? '').trim().split(/\s+/),
);
// What each micro-kernel needs, as core/cpu/gemm.cc checks it with __builtin_cpu_supports.
const ISA_FLAGS = { avx2: ['avx2', 'fma'], avx512: ['avx512f', 'avx512bw', 'avx512vl', 'avx512dq'] } as const;
const lacking = (isa: keyof typeof ISA_FLAGS) => ISA_FLAGS[isa].filter((f) => !cpuFlags.has(f));

// every implementation this machine can run: ours with each micro-kernel the CPU has, OpenBLAS when it loaded
const VARIANTS: { name: string; impl: 'own' | 'openblas'; isa: 'auto' | 'generic' | 'avx2' | 'avx512' }[] = [
  { name: 'own (generic kernel)', impl: 'own', isa: 'generic' },
];
for (const isa of ['avx2', 'avx512'] as const) {
  if (lacking(isa).length === 0) VARIANTS.push({ name: `own (${isa} kernel)`, impl: 'own', isa });
  else console.log(`matmul tests: the ${isa} kernel is not run, the CPU lacks ${lacking(isa).join(', ')}`);
}
if (withOpenblas) VARIANTS.push({ name: 'OpenBLAS', impl: 'openblas', isa: 'auto' });

beforeAll(async () => {
  await tf.setBackend('robusta');
});
beforeEach(async () => {
  await tf.setBackend('robusta');
});
afterEach(async () => {
  try {
    // a test that leaves tfjs on another backend would run the tests after it there instead of on ours
    expect(tf.getBackend(), 'the test left tfjs on another backend than robusta').toBe('robusta');
  } finally {
    configureGemm({ impl: 'auto', isa: 'auto', bf16Emulation: 'auto' });
    setMatMulPrecision('fp32');
    await tf.setBackend('robusta');
  }
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

/** Runs f on tfjs's cpu backend and switches back to robusta, also when f throws. */
async function onCpu<T>(f: () => T | Promise<T>): Promise<T> {
  await tf.setBackend('cpu');
  try {
    return await f();
  } finally {
    await tf.setBackend('robusta');
  }
}

async function robustaMatMul(a: Float32Array, as: number[], b: Float32Array, bs: number[], tA: boolean, tB: boolean) {
  await tf.setBackend('robusta');
  const r = tf.tidy(() => tf.matMul(tf.tensor(a, as), tf.tensor(b, bs), tA, tB));
  const out = { shape: r.shape, values: (await r.data()) as Float32Array };
  r.dispose();
  return out;
}

describe('BatchMatMul on robusta', () => {
  for (const v of VARIANTS) {
    it(`${v.name} equals a float64 reference (shapes, transposes, batch broadcasting)`, async () => {
      configureGemm({ impl: v.impl, isa: v.isa });
      expect(gemmInfo().impl).toBe(v.impl);
      for (const [i, [as, bs, tA, tB]] of CASES.entries()) {
        const a = rand(size(as), 10 + i);
        const b = rand(size(bs), 50 + i);
        const ref = reference(a, as, b, bs, tA, tB);
        const got = await robustaMatMul(a, as, b, bs, tA, tB);
        const label = `${v.name} [${as}]${tA ? 'T' : ''} x [${bs}]${tB ? 'T' : ''}`;
        expect(got.shape, label).toEqual(ref.shape);
        expectNear(got.values, ref, fp32Bound(ref.K), label);
      }
    });
  }

  it('equals the cpu backend where its batch handling is NumPy broadcasting', async () => {
    for (const [i, [as, bs, tA, tB]] of CASES.entries()) {
      if (as.length === 4) continue; // cpu indexes batches modulo their count: wrong for [2,1] x [1,3]
      const a = rand(size(as), 100 + i, -3, 3);
      const b = rand(size(bs), 200 + i, -3, 3);
      const got = await robustaMatMul(a, as, b, bs, tA, tB);
      const want = await onCpu(async () => {
        const t = tf.tidy(() => tf.matMul(tf.tensor(a, as), tf.tensor(b, bs), tA, tB));
        const values = (await t.data()) as Float32Array;
        t.dispose();
        return { shape: t.shape, values };
      });
      expect(got.shape).toEqual(want.shape);
      closeTo(got.values, want.values, 1e-4, `[${as}] x [${bs}]`);
    }
  });

  it.skipIf(!withOpenblas)('our kernel equals OpenBLAS on BERT-sized products', async () => {
    const shapes: [number[], number[], boolean, boolean][] = [
      [[512, 768], [768, 768], false, false],
      [[385, 520], [520, 4200], false, false], // two column blocks of 4096
      [[640, 300], [1030, 640], true, true],
      [[24, 128, 64], [24, 128, 64], false, true], // attention scores
    ];
    for (const [i, [as, bs, tA, tB]] of shapes.entries()) {
      const a = rand(size(as), 300 + i);
      const b = rand(size(bs), 400 + i);
      configureGemm({ impl: 'own' });
      const own = await robustaMatMul(a, as, b, bs, tA, tB);
      configureGemm({ impl: 'openblas' });
      const blas = await robustaMatMul(a, as, b, bs, tA, tB);
      const K = tA ? (as.at(-2) as number) : (as.at(-1) as number);
      // both are fp32 sums of K products of magnitude <= 1: each within K * 2^-24 * K of the exact value
      closeTo(own.values, blas.values, 2 * fp32Bound(K) * K, `own vs OpenBLAS [${as}] x [${bs}]`);
    }
  });

  it('int32 inputs give an int32 result as tfjs does', async () => {
    const a = tf.tensor([1, 2, 3, 4, 5, 6], [2, 3], 'int32');
    const b = tf.tensor([7, 8, 9, 10, 11, 12], [3, 2], 'int32');
    const c = tf.matMul(a, b);
    expect(c.dtype).toBe('int32');
    expect(Array.from(await c.data())).toEqual([58, 64, 139, 154]);
  });

  it('mismatched inner dimensions and non-broadcasting batches are errors naming the shapes', () => {
    expect(() => tf.matMul(tf.zeros([2, 3]), tf.zeros([4, 5]))).toThrow(
      /inner dimensions differ: A \[2,3\] and B \[4,5\] give K = 3 for A and 4 for B/,
    );
    expect(() => tf.matMul(tf.zeros([3, 2]), tf.zeros([5, 4]), true, true)).toThrow(
      /A \[3,2\] \(transposed\) and B \[5,4\] \(transposed\)/,
    );
    expect(() => tf.matMul(tf.zeros([2, 3, 4]), tf.zeros([3, 4, 5]))).toThrow(
      /batch dimensions of A \[2,3,4\] and B \[3,4,5\] do not broadcast/,
    );
  });

  it('ROBUSTA_GEMM-style switches report what runs, and refuse what is missing', () => {
    configureGemm({ impl: 'own' });
    expect(gemmInfo().impl).toBe('own');
    if (info.openblas) {
      configureGemm({ impl: 'openblas' });
      expect(gemmInfo().impl).toBe('openblas');
      expect(info.openblasDetail).toMatch(/libopenblas/);
    } else {
      expect(() => configureGemm({ impl: 'openblas' })).toThrow(`OpenBLAS is not loaded: ${info.openblasDetail}`);
      expect(gemmInfo().impl).toBe('own');
    }
    expect(() => configureGemm({ isa: 'sse9' as 'auto' })).toThrow(/isa must be/);
  });

  // registered only where OpenBLAS is refused on purpose (npm run test:no-openblas)
  if (openblasOff())
    it('under ROBUSTA_OPENBLAS=off OpenBLAS is not loaded, and every place says why', () => {
      expect(info.openblas).toBe(false);
      expect(gemmInfo().openblas).toBe(false);
      expect(info.openblasDetail).toBe('refused by ROBUSTA_OPENBLAS=off');
      expect(native.capabilities()).toMatchObject({ openblas: false, openblasDetail: info.openblasDetail });
      expect(() => configureGemm({ impl: 'openblas' })).toThrow(
        /OpenBLAS is not loaded: refused by ROBUSTA_OPENBLAS=off/,
      );
      configureGemm({ impl: 'auto' });
      expect(gemmInfo().impl).toBe('own');
    });

  for (const isa of ['avx2', 'avx512'] as const) {
    const missing = lacking(isa);
    if (missing.length === 0) {
      it(`the ${isa} kernel runs on this CPU (it has ${ISA_FLAGS[isa].join(', ')})`, () => {
        configureGemm({ impl: 'own', isa });
        expect(gemmInfo().isa).toBe(isa);
      });
    } else {
      it(`the ${isa} kernel is refused with a clear error on this CPU (it lacks ${missing.join(', ')})`, () => {
        expect(() => configureGemm({ isa })).toThrow(
          isa === 'avx2' ? /this CPU has no AVX2/ : /this CPU has no AVX-512/,
        );
      });
    }
  }
  it("'auto' picks the best kernel the CPU has", () => {
    configureGemm({ impl: 'own', isa: 'auto' });
    expect(gemmInfo().isa).toBe(
      lacking('avx512').length === 0 ? 'avx512' : lacking('avx2').length === 0 ? 'avx2' : 'generic',
    );
  });
});

describe('_FusedMatMul on robusta', () => {
  const activations = ['linear', 'relu', 'relu6', 'elu', 'prelu', 'leakyrelu', 'sigmoid'] as const;
  // [aShape, bShape, bias shape | null, prelu weights shape]
  const shapes: [number[], number[], number[] | null, number[]][] = [
    [[7, 9], [9, 11], [11], [11]],
    [[7, 9], [9, 11], [7, 11], [1]],
    [
      [7, 9],
      [9, 11],
      [7, 1],
      [7, 11],
    ],
    [[7, 9], [9, 11], [], [7, 1]],
    [[3, 13, 9], [3, 9, 40], [3, 1, 40], [40]],
    [[3, 13, 9], [9, 40], null, [3, 13, 1]],
  ];
  for (const v of VARIANTS.filter((x) => x.isa !== 'generic')) {
    it(`${v.name}: bias and every activation equal the cpu backend`, async () => {
      for (const [i, [as, bs, biasShape, preluShape]] of shapes.entries()) {
        for (const activation of activations) {
          for (const [tA, tB] of [
            [false, false],
            [true, true],
          ] as const) {
            const swap = (s: number[]) => [...s.slice(0, -2), s.at(-1) as number, s.at(-2) as number];
            const sa = tA ? swap(as) : as;
            const sb = tB ? swap(bs) : bs;
            const a = rand(size(as), 500 + i, -2, 2);
            const b = rand(size(bs), 600 + i, -2, 2);
            const bias = biasShape ? rand(size(biasShape), 700 + i) : null;
            const prelu = rand(size(preluShape), 800 + i, 0, 0.5);
            const run = () =>
              tf.tidy(() =>
                tf.fused.matMul({
                  a: tf.tensor(a, sa),
                  b: tf.tensor(b, sb),
                  transposeA: tA,
                  transposeB: tB,
                  bias: bias && biasShape ? tf.tensor(bias, biasShape) : undefined,
                  activation,
                  preluActivationWeights: activation === 'prelu' ? tf.tensor(prelu, preluShape) : undefined,
                  leakyreluAlpha: 0.15,
                }),
              );
            const [want, wantShape] = await onCpu(async () => {
              const t = run();
              const values = (await t.data()) as Float32Array;
              t.dispose();
              return [values, t.shape] as const;
            });
            configureGemm({ impl: v.impl, isa: v.isa });
            const gotT = run();
            expect(gotT.shape).toEqual(wantShape);
            closeTo(
              (await gotT.data()) as Float32Array,
              want,
              2e-5,
              `${v.name} ${activation} [${as}] x [${bs}] + [${biasShape}]`,
            );
            gotT.dispose();
          }
        }
      }
    });
  }

  // Shapes for the float64 check of the epilogue: the ones above, plus tile edges (M, N not multiples of any
  // micro-kernel's tile), two depth blocks (the epilogue must run once, after the last), and K = 0 (act(bias) alone).
  const epilogueShapes: [number[], number[], number[] | null, number[]][] = [
    ...shapes,
    [[13, 33], [33, 31], [13, 1], [1]],
    [[29, 300], [300, 71], [71], [71]],
    [[4, 0], [0, 3], [3], [4, 1]],
  ];
  for (const v of VARIANTS) {
    it(`${v.name}: bias and every activation equal a float64 reference (tile edges, two depth blocks, K = 0)`, async () => {
      configureGemm({ impl: v.impl, isa: v.isa });
      expect(gemmInfo().impl).toBe(v.impl);
      for (const [i, [as, bs, biasShape, preluShape]] of epilogueShapes.entries()) {
        const a = rand(size(as), 1500 + i, -2, 2);
        const b = rand(size(bs), 1600 + i, -2, 2);
        const bias = biasShape ? rand(size(biasShape), 1700 + i) : null;
        const prelu = rand(size(preluShape), 1800 + i, 0, 0.5);
        const product = reference(a, as, b, bs, false, false);
        for (const activation of activations) {
          const gotT = tf.tidy(() =>
            tf.fused.matMul({
              a: tf.tensor(a, as),
              b: tf.tensor(b, bs),
              bias: bias && biasShape ? tf.tensor(bias, biasShape) : undefined,
              activation,
              preluActivationWeights: activation === 'prelu' ? tf.tensor(prelu, preluShape) : undefined,
              leakyreluAlpha: 0.15,
            }),
          );
          const got = (await gotT.data()) as Float32Array;
          gotT.dispose();
          const label = `${v.name} ${activation} [${as}] x [${bs}] + [${biasShape}]`;
          expect(gotT.shape, label).toEqual(product.shape);
          for (let j = 0; j < got.length; j++) {
            const beta = bias && biasShape ? broadcastAt(bias, biasShape, product.shape, j) : 0;
            const slope = activation === 'prelu' ? broadcastAt(prelu, preluShape, product.shape, j) : 0.15;
            const want = activate((product.values[j] as number) + beta, activation, slope);
            // the product's fp32 bound, also covering the bias add; each activation is 1-Lipschitz or flatter, and
            // its own float rounding (exp in elu and sigmoid) is a few ulp of a result of order 1
            const tol =
              fp32Bound(product.K) * ((product.absSum[j] as number) + Math.abs(beta)) +
              2 ** -21 * Math.max(1, Math.abs(want));
            const err = Math.abs((got[j] as number) - want);
            if (!(err <= tol)) expect.fail(`${label}: index ${j}: got ${got[j]}, want ${want} (error ${err} > ${tol})`);
          }
        }
      }
    });
  }

  it('a bias that would enlarge the output is refused with the shapes, leaking nothing', () => {
    const [a, b, bias] = [tf.zeros([2, 3], 'int32'), tf.zeros([3, 4], 'int32'), tf.zeros([5, 2, 4], 'int32')];
    const before = tf.engine().backend.numDataIds();
    expect(() => tf.fused.matMul({ a, b, bias })).toThrow(
      /bias of shape \[5,2,4\] does not broadcast to the matMul output \[1,2,4\]/,
    );
    expect(tf.engine().backend.numDataIds()).toBe(before); // neither the output nor the float32 copies of the inputs
    tf.dispose([a, b, bias]);
  });
});

describe('bf16-input / fp32-accumulate matMul', () => {
  // the vdpbf16ps kernel runs where the CPU has AVX512_BF16
  configureGemm({ bf16Emulation: false });
  const methods = gemmInfo().bf16 === 'avx512bf16' ? [true, false] : [true];
  configureGemm({ bf16Emulation: 'auto' });
  it("picks the method by CPU with 'auto' (vdpbf16ps on AMD when present) and refuses other values", () => {
    const amd = /AuthenticAMD/.test(readFileSync('/proc/cpuinfo', 'utf8'));
    expect(gemmInfo().bf16).toBe(methods.length === 2 && amd ? 'avx512bf16' : 'emulated');
    expect(() => configureGemm({ bf16Emulation: 'fast' as never })).toThrow(
      /bf16Emulation must be true, false or 'auto'/,
    );
  });
  for (const emulate of methods) {
    it(`${emulate ? 'rounded-fp32' : 'vdpbf16ps'} method: inputs rounded to nearest-even bf16, sums in fp32`, async () => {
      configureGemm({ impl: 'own', bf16Emulation: emulate });
      const cases: [number[], number[], boolean, boolean][] = [
        [[13, 33], [33, 31], false, false],
        [[29, 301], [71, 301], false, true], // odd K: the vdpbf16ps pairs are zero-padded
        [[300, 29], [300, 71], true, false],
        [[2, 1, 6, 5], [1, 3, 5, 7], false, false],
        [[96, 5, 9], [96, 9, 6], false, false],
        [[40, 700], [700, 90], false, false],
      ];
      for (const [i, [as, bs, tA, tB]] of cases.entries()) {
        const a = rand(size(as), 900 + i, -4, 4);
        const b = rand(size(bs), 950 + i, -4, 4);
        const got = withMatMulPrecision('bf16', () =>
          tf.tidy(() => tf.matMul(tf.tensor(a, as), tf.tensor(b, bs), tA, tB)),
        );
        const values = (await got.data()) as Float32Array;
        got.dispose();
        const label = `bf16 [${as}] x [${bs}]`;
        // exactly the rounded inputs, summed in fp32 ...
        expectNear(
          values,
          reference(a, as, b, bs, tA, tB, bf16),
          fp32Bound(tA ? (as.at(-2) as number) : (as.at(-1) as number)),
          label,
        );
        // ... and within bf16's error of the exact fp32 product (each input off by at most 2^-9 relative)
        expectNear(values, reference(a, as, b, bs, tA, tB), 2 ** -8 + 2 ** -16, `${label} vs exact`);
        // visibly not fp32: bf16 drops 16 mantissa bits
        const exact = (await tf.matMul(tf.tensor(a, as), tf.tensor(b, bs), tA, tB).data()) as Float32Array;
        expect(
          values.some((x, j) => x !== exact[j]),
          label,
        ).toBe(true);
      }
    });
  }

  it('fp32 stays the default and bf16 is scoped to withMatMulPrecision', async () => {
    const a = tf.tensor([1 + 2 ** -12], [1, 1]);
    const b = tf.tensor([1], [1, 1]);
    expect((await tf.matMul(a, b).data())[0]).toBe(1 + 2 ** -12);
    expect((await withMatMulPrecision('bf16', () => tf.matMul(a, b)).data())[0]).toBe(1);
    expect((await tf.matMul(a, b).data())[0]).toBe(1 + 2 ** -12);
  });
});

describe('gradients through tf.matMul on robusta', () => {
  it('equal the cpu backend (BatchMatMul with transposes, called by the matMul gradient)', async () => {
    const cases: [number[], number[], boolean, boolean][] = [
      [[5, 7], [7, 3], false, false],
      [[7, 5], [3, 7], true, true],
      [[5, 7], [3, 7], false, true],
      [[2, 5, 7], [2, 7, 3], false, false],
    ];
    for (const [i, [as, bs, tA, tB]] of cases.entries()) {
      const a = rand(size(as), 1000 + i);
      const b = rand(size(bs), 1100 + i);
      const grads = async (backend: string) => {
        await rtf.setBackend(backend);
        const f = (x: tf.Tensor, y: tf.Tensor) => rtf.matMul(x, y, tA, tB);
        const out = rtf.tidy(() => f(rtf.tensor(a, as), rtf.tensor(b, bs)));
        const dy = rtf.tensor(rand(size(out.shape), 1200 + i), out.shape);
        const [ga, gb] = rtf.grads(f)([rtf.tensor(a, as), rtf.tensor(b, bs)], dy) as [tf.Tensor, tf.Tensor];
        return [await ga.data(), await gb.data()] as Float32Array[];
      };
      const want = await onCpu(() => grads('cpu'));
      const got = await grads('robusta');
      closeTo(got[0] as Float32Array, want[0] as Float32Array, 1e-5, `dA [${as}] x [${bs}]`);
      closeTo(got[1] as Float32Array, want[1] as Float32Array, 1e-5, `dB [${as}] x [${bs}]`);
    }
  });
});
