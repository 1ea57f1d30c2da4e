// The CUDA test surface of the addon (device memory, elementwise, row kernels, cuBLASLt GEMM) against the CPU kernels
// and float64 references on seeded inputs; every case skips, printing the reason, without a usable device.
import { requirement } from '@robusta/test-kit';
import { reference } from '@robusta/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { native, type Storage } from './addon.js';
import { type CudaBuffer, cudaStatus, downloadF32, downloadU8, toDevice } from './cuda.js';
import { BinaryOp, UnaryOp } from './kernels/elementwise.js';
import { DType, GemmPrecision } from './kernels/op_codes.js';

const status = cudaStatus();
if (requirement('a CUDA GPU', status.available ? null : (status.reason ?? 'no reason given'), { ciInstalls: false }))
  console.log(
    `CUDA: ${status.device} (cc ${status.computeCapability}, driver ${status.driverVersion}); cuBLASLt: ${status.cublasLt || status.cublasLtReason}`,
  );

const rand = reference.seededUniform;

// a fixed seed so a failure replays; ROBUSTA_TEST_SEED tries other inputs (printed, and in every failure message)
const seed = Number(process.env.ROBUSTA_TEST_SEED ?? 20261206) >>> 0;
if (status.available) console.log(`CUDA cases: seed ${seed} (ROBUSTA_TEST_SEED=N for other inputs)`);
const held: (CudaBuffer | Storage)[] = [];
function keep<T extends CudaBuffer | Storage>(b: T): T {
  held.push(b);
  return b;
}
afterAll(() => {
  for (const b of held) if (!b.freed) b.free();
});

function hostOf(values: Float32Array): Storage {
  const s = keep(native.alloc(values.byteLength));
  native.write(s, values);
  return s;
}

function close(got: Float32Array, want: Float32Array, what: string, tol = 1e-5): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as number;
    const g = got[i] as number;
    const ok = Number.isNaN(w)
      ? Number.isNaN(g)
      : !Number.isFinite(w)
        ? g === w
        : Math.abs(g - w) <= tol * Math.max(1, Math.abs(w));
    if (!ok) expect.fail(`${what} (seed ${seed}): index ${i}: got ${g}, expected ${w}`);
  }
}

describe('CUDA device', () => {
  it('announces whether a device is usable, and names what is missing when not', () => {
    expect(typeof status.available).toBe('boolean');
    if (status.available) {
      expect(status.device).toMatch(/\S/); // the device name the driver reports
      expect(Number(status.computeCapability)).toBeGreaterThanOrEqual(8);
    } else {
      expect(status.reason).toMatch(/libcuda\.so\.1|no device|ROBUSTA_CUDA=0|nvcc was not found|compute capability/);
      expect(() => native.cudaAlloc(16)).toThrow(status.reason);
    }
  });

  it.skipIf(!status.available)('unary ops match the cpu kernels', () => {
    const n = 4099;
    const ops: [UnaryOp, number, number][] = [
      [UnaryOp.Neg, -5, 5],
      [UnaryOp.Exp, -20, 20],
      [UnaryOp.Log, 1e-3, 100],
      [UnaryOp.Sqrt, 0, 100],
      [UnaryOp.Rsqrt, 1e-3, 100],
      [UnaryOp.Tanh, -5, 5],
      [UnaryOp.Erf, -3, 3],
      [UnaryOp.Relu, -5, 5],
      [UnaryOp.Sigmoid, -10, 10],
    ];
    for (const [op, lo, hi] of ops) {
      const x = rand(n, seed + op, lo, hi);
      const dx = keep(toDevice(x));
      const dy = keep(native.cudaAlloc(n * 4));
      native.cudaUnary(op, dx, dy, n);
      const want = new Float32Array(n);
      const out = keep(native.alloc(n * 4));
      native.unary(op, DType.F32, hostOf(x), DType.F32, out, n);
      native.read(out, want);
      close(downloadF32(dy, n), want, `unary op ${UnaryOp[op]}`);
    }
  });

  it.skipIf(!status.available)('binary ops with broadcasting match the cpu kernels', () => {
    const cases: [number[], number[], number[]][] = [
      [
        [64, 96],
        [64, 96],
        [64, 96],
      ],
      [[16, 8, 96], [96], [16, 8, 96]],
      [
        [5, 1, 7],
        [1, 6, 7],
        [5, 6, 7],
      ],
      [[], [33, 17], [33, 17]],
    ];
    const ops = [BinaryOp.Add, BinaryOp.Sub, BinaryOp.Mul, BinaryOp.RealDiv, BinaryOp.Maximum, BinaryOp.Greater];
    for (const op of ops) {
      for (const [as, bs, os] of cases) {
        const size = (s: number[]) => s.reduce((p, d) => p * d, 1);
        const a = rand(size(as), seed + 7 * op, -3, 3);
        const b = rand(size(bs), seed + 11 * op, -3, 3);
        const n = size(os);
        const toBool = op === BinaryOp.Greater;
        const out = keep(native.cudaAlloc(n * (toBool ? 1 : 4)));
        native.cudaBinary(op, keep(toDevice(a)), as, keep(toDevice(b)), bs, out, os);
        const cpuOut = keep(native.alloc(n * (toBool ? 1 : 4)));
        native.binary(op, DType.F32, hostOf(a), as, hostOf(b), bs, cpuOut, os);
        const what = `binary op ${BinaryOp[op]} on [${as}] and [${bs}]`;
        if (toBool) {
          const want = new Uint8Array(n);
          native.read(cpuOut, want);
          expect(Array.from(downloadU8(out, n)), what).toEqual(Array.from(want));
        } else {
          const want = new Float32Array(n);
          native.read(cpuOut, want);
          close(downloadF32(out, n), want, what);
        }
      }
    }
  });

  it.skipIf(!status.available)('row softmax and row sum match float64 references', () => {
    const rows = 37;
    const cols = 1000;
    const x = rand(rows * cols, seed, -10, 10);
    const dx = keep(toDevice(x));
    const sm = keep(native.cudaAlloc(rows * cols * 4));
    const sum = keep(native.cudaAlloc(rows * 4));
    native.cudaSoftmaxRows(dx, sm, rows, cols);
    native.cudaSumRows(dx, sum, rows, cols);
    const gotSm = downloadF32(sm, rows * cols);
    const gotSum = downloadF32(sum, rows);
    const wantSm = new Float32Array(rows * cols);
    const wantSum = new Float32Array(rows);
    for (let r = 0; r < rows; r++) {
      const row = x.subarray(r * cols, (r + 1) * cols);
      let m = -Infinity;
      let s = 0;
      let t = 0;
      for (const v of row) m = Math.max(m, v);
      for (const v of row) s += Math.exp(v - m);
      for (let c = 0; c < cols; c++) wantSm[r * cols + c] = Math.exp((row[c] as number) - m) / s;
      for (const v of row) t += v;
      wantSum[r] = t;
    }
    close(gotSm, wantSm, 'softmax');
    close(gotSum, wantSum, 'row sum', 1e-4);
  });

  it.skipIf(!status.available || !status.cublasLt)('cuBLASLt GEMM (fp32, bf16) matches a float64 product', () => {
    const [m, n, k] = [65, 48, 129];
    const a = rand(m * k, seed + 1, -1, 1);
    const b = rand(k * n, seed + 2, -1, 1);
    const ref = new Float64Array(m * n);
    for (let i = 0; i < m; i++)
      for (let p = 0; p < k; p++)
        for (let j = 0; j < n; j++)
          ref[i * n + j] = (ref[i * n + j] as number) + (a[i * k + p] as number) * (b[p * n + j] as number);
    const relErr = (got: Float32Array) => {
      let num = 0;
      let den = 0;
      for (let i = 0; i < ref.length; i++) {
        num += ((got[i] as number) - (ref[i] as number)) ** 2;
        den += (ref[i] as number) ** 2;
      }
      return Math.sqrt(num / den);
    };
    const c = keep(native.cudaAlloc(m * n * 4));
    native.cudaGemm(GemmPrecision.F32, keep(toDevice(a)), keep(toDevice(b)), c, m, n, k);
    expect(relErr(downloadF32(c, m * n))).toBeLessThan(1e-5);
    const a16 = keep(native.cudaAlloc(m * k * 2));
    const b16 = keep(native.cudaAlloc(k * n * 2));
    native.cudaCastF32ToBf16(keep(toDevice(a)), a16, m * k);
    native.cudaCastF32ToBf16(keep(toDevice(b)), b16, k * n);
    native.cudaGemm(GemmPrecision.BF16, a16, b16, c, m, n, k);
    expect(relErr(downloadF32(c, m * n))).toBeLessThan(1e-2);
  });

  it.skipIf(!status.available)('device memory is pooled and misuse raises errors', () => {
    const first = native.cudaAlloc(1 << 20);
    first.free();
    const before = native.cudaPoolStats();
    native.cudaAlloc(1 << 20).free();
    const after = native.cudaPoolStats();
    expect(after.freshBytes).toBe(before.freshBytes);
    expect(after.reusedBlocks).toBe(before.reusedBlocks + 1);
    expect(() => native.cudaDownload(first, new Float32Array(4))).toThrow(/after it was freed/);
    expect(() => native.cudaAlloc(2 ** 50)).toThrow(String(2 ** 50));
  });
});
