// Float64 references of the fused ops in plain loops (the slow twins every fast path is tested against), and a
// central finite-difference gradient for checking any of them.
import { dropoutMask } from './dropout.js';

type Values = ArrayLike<number>;

/** LayerNorm over rows of length h: two-pass mean and variance. */
export function layerNormReference(x: Values, h: number, gamma: Values, beta: Values, epsilon: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let r = 0; r < x.length / h; r++) {
    let mean = 0;
    for (let i = 0; i < h; i++) mean += x[r * h + i] as number;
    mean /= h;
    let variance = 0;
    for (let i = 0; i < h; i++) variance += ((x[r * h + i] as number) - mean) ** 2;
    variance /= h;
    const rstd = 1 / Math.sqrt(variance + epsilon);
    for (let i = 0; i < h; i++) {
      out[r * h + i] = ((x[r * h + i] as number) - mean) * rstd * (gamma[i] as number) + (beta[i] as number);
    }
  }
  return out;
}

/** erf to double precision (Abramowitz-Stegun 7.1.26 is not enough for float64 finite differences). */
export function erf64(x: number): number {
  // Maclaurin series near 0, continued fraction of erfc beyond: both converge to ~1e-15 in their ranges
  const ax = Math.abs(x);
  if (ax < 2.5) {
    let term = ax;
    let sum = ax;
    for (let n = 1; n < 200; n++) {
      term *= (-ax * ax) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return Math.sign(x) * ((2 / Math.sqrt(Math.PI)) * sum);
  }
  // erfc(ax) = exp(-ax²)/sqrt(pi) * 1/(ax + 1/2/(ax + 1/(ax + 3/2/(ax + ...)))) evaluated from the tail
  let f = ax;
  for (let n = 60; n >= 1; n--) f = ax + n / 2 / f;
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}

/** gelu(x + bias) with the exact erf GELU, rows of length f. */
export function biasGeluReference(x: Values, f: number, bias: Values): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const z = (x[i] as number) + (bias[i % f] as number);
    out[i] = 0.5 * z * (1 + erf64(z * Math.SQRT1_2));
  }
  return out;
}

export interface AttentionDims {
  B: number;
  A: number;
  Tq: number;
  Tk: number;
  D: number;
}

/**
 * softmax(q kᵀ / sqrt(D) + mask) · v per (batch, head), with the dropout mask of dropout.ts when rate > 0.
 * `maskShape` is the mask's 4-d shape (each dim 1 or full), or null for no mask.
 */
export function attentionReference(
  q: Values,
  k: Values,
  v: Values,
  dims: AttentionDims,
  mask: Values | null,
  maskShape: readonly number[] | null,
  dropout: { rate: number; seed: number } = { rate: 0, seed: 0 },
): Float64Array {
  const { B, A, Tq, Tk, D } = dims;
  const out = new Float64Array(B * A * Tq * D);
  const keep = dropout.rate > 0 ? dropoutMask(dropout.rate, dropout.seed, B * A * Tq * Tk) : null;
  const ms = maskShape ?? [1, 1, 1, 1];
  const stride = (dim: number, inner: number) => ((ms[dim] as number) === 1 ? 0 : inner);
  const [sb, sa, si, sj] = [
    stride(0, (ms[1] as number) * (ms[2] as number) * (ms[3] as number)),
    stride(1, (ms[2] as number) * (ms[3] as number)),
    stride(2, ms[3] as number),
    stride(3, 1),
  ];
  const scale = 1 / Math.sqrt(D);
  const s = new Float64Array(Tk);
  for (let b = 0; b < B; b++) {
    for (let a = 0; a < A; a++) {
      const head = b * A + a;
      for (let i = 0; i < Tq; i++) {
        let max = -Infinity;
        for (let j = 0; j < Tk; j++) {
          let dot = 0;
          for (let d = 0; d < D; d++)
            dot += (q[(head * Tq + i) * D + d] as number) * (k[(head * Tk + j) * D + d] as number);
          s[j] = dot * scale + (mask ? (mask[b * sb + a * sa + i * si + j * sj] as number) : 0);
          max = Math.max(max, s[j] as number);
        }
        let sum = 0;
        for (let j = 0; j < Tk; j++) {
          s[j] = Math.exp((s[j] as number) - max);
          sum += s[j] as number;
        }
        for (let d = 0; d < D; d++) {
          let acc = 0;
          for (let j = 0; j < Tk; j++) {
            const p = ((s[j] as number) / sum) * (keep ? (keep[(head * Tq + i) * Tk + j] as number) : 1);
            acc += p * (v[(head * Tk + j) * D + d] as number);
          }
          out[(head * Tq + i) * D + d] = acc;
        }
      }
    }
  }
  return out;
}

/** Mean cross-entropy over rows whose label != ignoreIndex (0 when none), through log-sum-exp. */
export function softmaxCrossEntropyReference(logits: Values, V: number, labels: Values, ignoreIndex = -100): number {
  let total = 0;
  let count = 0;
  for (let r = 0; r < labels.length; r++) {
    const label = labels[r] as number;
    if (label === ignoreIndex) continue;
    let max = -Infinity;
    for (let j = 0; j < V; j++) max = Math.max(max, logits[r * V + j] as number);
    let sum = 0;
    for (let j = 0; j < V; j++) sum += Math.exp((logits[r * V + j] as number) - max);
    total += max + Math.log(sum) - (logits[r * V + label] as number);
    count++;
  }
  return count === 0 ? 0 : total / count;
}

/** One AdamW step in float64; returns the new param, m and v. */
export function adamwReference(
  param: Values,
  grad: Values,
  m: Values,
  v: Values,
  o: { lr: number; step: number; beta1: number; beta2: number; eps: number; weightDecay: number },
): { param: Float64Array<ArrayBuffer>; m: Float64Array<ArrayBuffer>; v: Float64Array<ArrayBuffer> } {
  const n = param.length;
  const out = { param: new Float64Array(n), m: new Float64Array(n), v: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const g = grad[i] as number;
    const p = param[i] as number;
    const mi = o.beta1 * (m[i] as number) + (1 - o.beta1) * g;
    const vi = o.beta2 * (v[i] as number) + (1 - o.beta2) * g * g;
    const mhat = mi / (1 - o.beta1 ** o.step);
    const vhat = vi / (1 - o.beta2 ** o.step);
    out.m[i] = mi;
    out.v[i] = vi;
    out.param[i] = p - o.lr * (mhat / (Math.sqrt(vhat) + o.eps) + o.weightDecay * p);
  }
  return out;
}

/** Central finite differences of a scalar function of a float64 vector, step h. */
export function numericGradient(f: (x: Float64Array) => number, x: Values, h = 1e-6): Float64Array {
  const at = Float64Array.from(x);
  const out = new Float64Array(at.length);
  for (let i = 0; i < at.length; i++) {
    const x0 = at[i] as number;
    at[i] = x0 + h;
    const up = f(at);
    at[i] = x0 - h;
    const down = f(at);
    at[i] = x0;
    out[i] = (up - down) / (2 * h);
  }
  return out;
}

/** Deterministic uniform values in [lo, hi) from a 32-bit LCG: test inputs that are the same on every run. */
export function seededUniform(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((s >>> 8) / 16777216) * (hi - lo);
  }
  return out;
}

/** max |got - want| / max |want|: an error relative to the largest expected value (NaN on a length mismatch). */
export function relativeError(got: Values, want: Values): number {
  if (got.length !== want.length) return Number.NaN;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as number;
    const g = got[i] as number;
    if (Number.isNaN(g) !== Number.isNaN(w)) return Number.POSITIVE_INFINITY;
    if (Number.isNaN(w)) continue;
    diff = Math.max(diff, Math.abs(g - w));
    scale = Math.max(scale, Math.abs(w));
  }
  return diff / Math.max(scale, 1e-30);
}
