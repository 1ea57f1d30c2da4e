// The gradient path of one update: sum micro-batch gradients, all-reduce (the data-parallel seam), average, norm, clip.
import * as tf from '@robusta/tfjs';

export type Gradients = Map<string, tf.Tensor>;

/**
 * The collective step between accumulation and the optimizer. Data parallelism replaces it with a sum over
 * processes; in one process it is the identity. `worldSize` tells the averaging how many replicas contributed.
 */
export interface Collective {
  readonly worldSize: number;
  /** Sums each gradient over all processes; may return the same tensors. Takes ownership of `grads`. */
  allReduceSum(grads: Gradients): Promise<Gradients>;
}

export const singleProcess: Collective = {
  worldSize: 1,
  allReduceSum: async (grads) => grads,
};

/** Running sum of gradients over the micro-batches of one update; owns the tensors it holds. */
export class GradientAccumulator {
  private sums: Gradients = new Map();
  count = 0;

  /** Adds a micro-batch's gradients (consumed: disposed or adopted). */
  add(grads: Gradients): void {
    for (const [name, g] of grads) {
      const prev = this.sums.get(name);
      if (!prev) this.sums.set(name, g);
      else {
        this.sums.set(name, tf.add(prev, g));
        prev.dispose();
        g.dispose();
      }
    }
    this.count++;
  }

  /** Hands over the sums and starts again empty. */
  take(): Gradients {
    const s = this.sums;
    this.sums = new Map();
    this.count = 0;
    return s;
  }

  dispose(): void {
    tf.dispose([...this.sums.values()]);
    this.sums.clear();
    this.count = 0;
  }
}

/** Multiplies every gradient by `factor` in place of the map (old tensors disposed). */
export function scaleGradients(grads: Gradients, factor: number): void {
  if (factor === 1) return;
  for (const [name, g] of grads) {
    grads.set(
      name,
      tf.tidy(() => tf.mul(g, tf.scalar(factor))),
    );
    g.dispose();
  }
}

/** L2 norm over all gradients together (what is logged, and what clipping compares). */
export async function globalNorm(grads: Gradients): Promise<number> {
  // stack + sum rather than addN: every backend has Pack and Sum ('robusta' has no AddN)
  const total = tf.tidy(() => tf.sum(tf.stack([...grads.values()].map((g) => tf.sum(tf.square(g))))));
  const [sq] = await total.data();
  total.dispose();
  return Math.sqrt(sq!);
}

/** Scales gradients so their global norm is at most `maxNorm` (PyTorch's clip_grad_norm_ rule); returns the factor. */
export function clipFactor(norm: number, maxNorm: number): number {
  if (!(maxNorm > 0) || norm <= maxNorm) return 1;
  return maxNorm / (norm + 1e-6);
}
