// bias + exact (erf) GELU, as in BERT/RoBERTa's FFN: the fused kernel when the backend has one, else tfjs ops.
import { add, engine, erf, mul, scalar, type Tensor, tidy } from '@tensorflow/tfjs-core';
import { ensureGradient, hasFusedKernel } from './dispatch.js';
import { RobustaBiasGelu, RobustaBiasGeluGrad } from './kernel_names.js';

function check(x: Tensor, bias: Tensor): void {
  const f = x.shape[x.rank - 1];
  if (x.rank < 1 || bias.rank !== 1 || bias.shape[0] !== f) {
    throw new Error(`biasGelu: x [.., F] needs bias [F]; got x [${x.shape}], bias [${bias.shape}]`);
  }
  if (x.dtype !== 'float32' || bias.dtype !== 'float32') {
    throw new Error(`biasGelu: x and bias must be float32, got ${x.dtype} and ${bias.dtype}`);
  }
}

/** gelu(x + bias) = 0.5 z (1 + erf(z / sqrt 2)) with tfjs ops, differentiable by autodiff on any backend. */
export function biasGeluComposite(x: Tensor, bias: Tensor): Tensor {
  check(x, bias);
  return tidy(() => {
    const z = add(x, bias);
    return mul(mul(z, scalar(0.5)), add(scalar(1), erf(mul(z, scalar(Math.SQRT1_2)))));
  });
}

const gradConfig = {
  kernelName: RobustaBiasGelu,
  inputsToSave: ['x', 'bias'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
    const [x, bias] = saved as [Tensor, Tensor];
    const [dx, dbias] = engine().runKernel(RobustaBiasGeluGrad, { dy: dy as Tensor, x, bias }) as Tensor[];
    return { x: () => dx as Tensor, bias: () => dbias as Tensor };
  },
};

/** gelu(x + bias) with the exact erf GELU; x [.., F], bias [F]; differentiable in both. */
export function biasGelu(x: Tensor, bias: Tensor): Tensor {
  if (!hasFusedKernel(RobustaBiasGelu, RobustaBiasGeluGrad)) return biasGeluComposite(x, bias);
  check(x, bias);
  ensureGradient(gradConfig);
  return engine().runKernel(RobustaBiasGelu, { x, bias }) as Tensor;
}
