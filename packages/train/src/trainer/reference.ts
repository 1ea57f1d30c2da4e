// Plain float64 references for the optimizer path (AdamW, global norm, clipping): the slow twin the tests trust.

export interface AdamWHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

/** One AdamW step on plain arrays, exactly as the paper's optimizer is defined (decoupled decay, bias correction). */
export function adamwStep64(
  param: ArrayLike<number>,
  grad: ArrayLike<number>,
  m: ArrayLike<number>,
  v: ArrayLike<number>,
  step: number,
  h: AdamWHyper,
): { param: Float64Array<ArrayBuffer>; m: Float64Array<ArrayBuffer>; v: Float64Array<ArrayBuffer> } {
  const n = param.length;
  const out = { param: new Float64Array(n), m: new Float64Array(n), v: new Float64Array(n) };
  const c1 = 1 - h.beta1 ** step;
  const c2 = 1 - h.beta2 ** step;
  for (let i = 0; i < n; i++) {
    const g = grad[i]!;
    const mi = h.beta1 * m[i]! + (1 - h.beta1) * g;
    const vi = h.beta2 * v[i]! + (1 - h.beta2) * g * g;
    const p = param[i]!;
    out.m[i] = mi;
    out.v[i] = vi;
    out.param[i] = p - h.lr * (mi / c1 / (Math.sqrt(vi / c2) + h.eps) + h.weightDecay * p);
  }
  return out;
}

/** sqrt of the sum of squares over every gradient. */
export function globalNorm64(grads: ArrayLike<number>[]): number {
  let s = 0;
  for (const g of grads) for (let i = 0; i < g.length; i++) s += g[i]! * g[i]!;
  return Math.sqrt(s);
}
