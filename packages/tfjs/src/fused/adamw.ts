// AdamW with decoupled weight decay, updating a parameter Variable and its moment Variables in place: the fused
// kernel when the backend has one, else composite tfjs ops and Variable.assign.
import {
  add,
  dispose,
  div,
  engine,
  mul,
  type NamedAttrMap,
  scalar,
  sqrt,
  square,
  sub,
  type Tensor,
  tidy,
  type Variable,
} from '@tensorflow/tfjs-core';
import { hasFusedKernel } from './dispatch.js';
import { type AdamWAttrs, RobustaAdamW } from './kernel_names.js';

export interface AdamWOptions {
  lr: number;
  /** The 1-based step number, for bias correction. */
  step: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** Decoupled weight decay (0 by default: callers turn it on for the parameters that want it). */
  weightDecay?: number;
}

function attrsOf(param: Variable, grad: Tensor, m: Variable, v: Variable, o: AdamWOptions): AdamWAttrs {
  for (const [name, t] of [
    ['grad', grad],
    ['m', m],
    ['v', v],
  ] as const) {
    if (
      t.dtype !== 'float32' ||
      t.shape.length !== param.shape.length ||
      t.shape.some((d, i) => d !== param.shape[i])
    ) {
      throw new Error(
        `adamwUpdate(${param.name}): ${name} must be float32 [${param.shape}] like the parameter; got ${t.dtype} [${t.shape}]`,
      );
    }
  }
  if (param.dtype !== 'float32') throw new Error(`adamwUpdate(${param.name}): parameter must be float32`);
  if (!Number.isInteger(o.step) || o.step < 1)
    throw new Error(`adamwUpdate: step must be an integer >= 1, got ${o.step}`);
  const beta1 = o.beta1 ?? 0.9;
  const beta2 = o.beta2 ?? 0.999;
  return {
    lr: o.lr,
    beta1,
    beta2,
    eps: o.eps ?? 1e-8,
    weightDecay: o.weightDecay ?? 0,
    biasCorrection1: 1 - beta1 ** o.step,
    biasCorrection2: 1 - beta2 ** o.step,
  };
}

/** One AdamW step with tfjs ops, assigning the new values to the three Variables. */
export function adamwUpdateComposite(
  param: Variable,
  grad: Tensor,
  m: Variable,
  v: Variable,
  options: AdamWOptions,
): void {
  const a = attrsOf(param, grad, m, v, options);
  tidy(() => {
    const m2 = add(mul(m, scalar(a.beta1)), mul(grad, scalar(1 - a.beta1)));
    const v2 = add(mul(v, scalar(a.beta2)), mul(square(grad), scalar(1 - a.beta2)));
    const adam = div(div(m2, scalar(a.biasCorrection1)), add(sqrt(div(v2, scalar(a.biasCorrection2))), scalar(a.eps)));
    const p2 = sub(param, mul(add(adam, mul(param, scalar(a.weightDecay))), scalar(a.lr)));
    param.assign(p2);
    m.assign(m2);
    v.assign(v2);
  });
}

/**
 * One AdamW step: m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g²; param -= lr (m̂ / (sqrt(v̂) + eps) + wd param) with
 * m̂ = m / (1 - b1^step), v̂ = v / (1 - b2^step). Updates param, m and v (Variables); no gradient flows through it.
 */
export function adamwUpdate(param: Variable, grad: Tensor, m: Variable, v: Variable, options: AdamWOptions): void {
  if (!hasFusedKernel(RobustaAdamW)) {
    adamwUpdateComposite(param, grad, m, v, options);
    return;
  }
  const attrs = attrsOf(param, grad, m, v, options);
  // a backend updates memory in place when only the Variable references it and returns that same memory
  const outs = engine().runKernel(RobustaAdamW, { param, grad, m, v }, attrs as unknown as NamedAttrMap) as Tensor[];
  param.assign(outs[0] as Tensor);
  m.assign(outs[1] as Tensor);
  v.assign(outs[2] as Tensor);
  dispose(outs);
}
