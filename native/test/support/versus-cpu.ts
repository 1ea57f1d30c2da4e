// Test support: run an op on tfjs's cpu backend and on 'robusta' with the same inputs, and compare the results.
import * as tf from '@robusta/tfjs';
import { expect } from 'vitest';

export type Values = Float32Array | Int32Array | Uint8Array;
export interface Result {
  values: number[];
  shape: number[];
  dtype: string;
}

export function rand(shape: number[], seed: number, lo = -3, hi = 3): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.reference.seededUniform(n, seed, lo, hi);
}

/** Random float32, int32 (integers in [-5, 5]) or bool values of a shape. */
export function randTensor(shape: number[], dtype: 'float32' | 'int32' | 'bool', seed: number): tf.Tensor {
  const r = rand(shape, seed);
  if (dtype === 'float32') return tf.tensor(r, shape);
  if (dtype === 'int32')
    return tf.tensor(
      Int32Array.from(r, (v) => Math.round(v * 1.7)),
      shape,
      'int32',
    );
  return tf.tensor(
    Uint8Array.from(r, (v) => (v > 0 ? 1 : 0)),
    shape,
    'bool',
  );
}

export async function read(t: tf.Tensor | tf.Tensor[]): Promise<Result[]> {
  const list = Array.isArray(t) ? t : [t];
  const out: Result[] = [];
  for (const x of list) out.push({ values: Array.from((await x.data()) as Values), shape: x.shape, dtype: x.dtype });
  return out;
}

/** Runs f on the cpu backend, then on robusta; returns [robusta, cpu] results (values, shapes, dtypes). */
export async function both(f: () => tf.Tensor | tf.Tensor[]): Promise<[Result[], Result[]]> {
  await tf.setBackend('cpu');
  let want: Result[];
  try {
    want = await read(tf.tidy(f));
  } finally {
    await tf.setBackend('robusta'); // also after a throw: the tests after this one run on robusta
  }
  const got = await read(tf.tidy(f));
  return [got, want];
}

/** Same shapes and dtypes, values equal within tol (relative above 1); NaN matches NaN. */
export function expectSame(got: Result[], want: Result[], tol = 0, what = ''): void {
  expect(got.length, what).toBe(want.length);
  for (let k = 0; k < want.length; k++) {
    const g = got[k] as Result;
    const w = want[k] as Result;
    expect(g.shape, `${what} shape`).toEqual(w.shape);
    expect(g.dtype, `${what} dtype`).toBe(w.dtype);
    expect(g.values.length, what).toBe(w.values.length);
    for (let i = 0; i < w.values.length; i++) {
      const a = g.values[i] as number;
      const b = w.values[i] as number;
      if (Number.isNaN(b)) expect(Number.isNaN(a), `${what} [${i}] ${a} vs NaN`).toBe(true);
      else if (tol === 0 || !Number.isFinite(b)) expect(a === b, `${what} [${i}]: ${a} vs ${b}`).toBe(true);
      else expect(Math.abs(a - b), `${what} [${i}]: ${a} vs ${b}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));
    }
  }
}

export async function same(f: () => tf.Tensor | tf.Tensor[], tol = 0, what = ''): Promise<void> {
  const [got, want] = await both(f);
  expectSame(got, want, tol, what);
}
