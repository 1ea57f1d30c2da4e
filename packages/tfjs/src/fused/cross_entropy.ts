// Softmax cross-entropy over the selected rows (N rows, V vocab) with an ignore index: the fused kernel when the
// backend has one, else composite tfjs ops. The MLM head passes only the masked positions' logits.
import {
  cast,
  div,
  engine,
  logSumExp,
  maximum,
  mul,
  type NamedAttrMap,
  notEqual,
  oneHot,
  scalar,
  sub,
  sum,
  type Tensor,
  tidy,
  where,
  zerosLike,
} from '@tensorflow/tfjs-core';
import { ensureGradient, hasFusedKernel } from './dispatch.js';
import {
  RobustaSoftmaxCrossEntropy,
  RobustaSoftmaxCrossEntropyGrad,
  type SoftmaxCrossEntropyAttrs,
} from './kernel_names.js';

export interface SoftmaxCrossEntropyOptions {
  /** Rows whose label equals this are left out of the loss and the mean (PyTorch's default, -100). */
  ignoreIndex?: number;
}

function check(logits: Tensor, labels: Tensor): void {
  if (logits.rank !== 2 || labels.rank !== 1 || labels.shape[0] !== logits.shape[0]) {
    throw new Error(
      `softmaxCrossEntropy: logits [N, V] needs labels [N]; got logits [${logits.shape}], labels [${labels.shape}]`,
    );
  }
  if (logits.dtype !== 'float32') throw new Error(`softmaxCrossEntropy: logits must be float32, got ${logits.dtype}`);
  if (labels.dtype !== 'int32') throw new Error(`softmaxCrossEntropy: labels must be int32, got ${labels.dtype}`);
}

/**
 * The loss with tfjs ops (logSumExp, a one-hot pick), differentiable by autodiff on any backend. Labels outside
 * [0, V) other than ignoreIndex are not detected here (checking would read the labels back); they pick 0.
 */
export function softmaxCrossEntropyComposite(
  logits: Tensor,
  labels: Tensor,
  options: SoftmaxCrossEntropyOptions = {},
): Tensor {
  check(logits, labels);
  const ignoreIndex = options.ignoreIndex ?? -100;
  return tidy(() => {
    const v = logits.shape[1] as number;
    const valid = notEqual(labels, scalar(ignoreIndex, 'int32'));
    const safeLabels = where(valid, labels, zerosLike(labels));
    // int32 one-hot then a cast: tfjs-backend-wasm 4.22's OneHot ignores dtype 'float32' and writes int32 bits
    const picked = sum(mul(logits, cast(oneHot(safeLabels, v, 1, 0, 'int32'), 'float32')), 1);
    const rowLoss = where(valid, sub(logSumExp(logits, 1), picked), scalar(0));
    const count = sum(cast(valid, 'float32'));
    return div(sum(rowLoss), maximum(count, scalar(1)));
  });
}

const gradConfig = {
  kernelName: RobustaSoftmaxCrossEntropy,
  inputsToSave: ['logits', 'labels'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [logits, labels] = saved as [Tensor, Tensor];
    const dlogits = engine().runKernel(RobustaSoftmaxCrossEntropyGrad, { dy: dy as Tensor, logits, labels }, attrs);
    // labels are integers: never differentiated, but tfjs asks for an entry per input
    return { logits: () => dlogits as Tensor, labels: () => cast(zerosLike(labels), 'float32') };
  },
};

/**
 * Mean over rows whose label != ignoreIndex of -log softmax(logits[r])[label[r]], computed through log-sum-exp;
 * 0 when every row is ignored. logits [N, V] float32, labels [N] int32. Differentiable in logits: the gradient is
 * (softmax - onehot) / count on the counted rows and 0 on ignored ones.
 */
export function softmaxCrossEntropy(logits: Tensor, labels: Tensor, options: SoftmaxCrossEntropyOptions = {}): Tensor {
  if (!hasFusedKernel(RobustaSoftmaxCrossEntropy, RobustaSoftmaxCrossEntropyGrad))
    return softmaxCrossEntropyComposite(logits, labels, options);
  check(logits, labels);
  ensureGradient(gradConfig);
  const attrs: SoftmaxCrossEntropyAttrs = { ignoreIndex: options.ignoreIndex ?? -100 };
  return engine().runKernel(RobustaSoftmaxCrossEntropy, { logits, labels }, attrs as unknown as NamedAttrMap) as Tensor;
}
