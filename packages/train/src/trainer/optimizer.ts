// AdamW over a model's named parameters through the fused `adamwUpdate`, with HF's no-decay rule and savable state.
import { FormatError } from '@robusta/cli-kit';
import * as tf from '@robusta/tfjs';

export interface AdamWConfig {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

/** The RoBERTa paper's optimizer settings (beta2 .98 for stability with large batches). */
export const ROBERTA_ADAMW: Readonly<AdamWConfig> = { beta1: 0.9, beta2: 0.98, eps: 1e-6, weightDecay: 0.01 };

/**
 * Whether weight decay applies to the HF-named parameter: not to biases nor LayerNorm scales, as HF's run_mlm and
 * the BERT recipe exclude them (decaying a LayerNorm gain towards 0 shrinks the whole layer's output).
 */
export function decays(name: string): boolean {
  if (name.endsWith('.bias') || name === 'lm_head.bias') return false;
  return !/(LayerNorm|layer_norm)\.weight$/.test(name);
}

/** Names of the moment tensors in the optimizer file (PyTorch's Adam state keys, prefixed to the HF name). */
export const MOMENT_PREFIX = { m: 'exp_avg.', v: 'exp_avg_sq.' } as const;

export class AdamW {
  readonly m = new Map<string, tf.Variable>();
  readonly v = new Map<string, tf.Variable>();

  constructor(
    readonly params: Map<string, tf.Variable>,
    readonly config: AdamWConfig = ROBERTA_ADAMW,
  ) {
    for (const [name, p] of params) {
      this.m.set(name, tf.variable(tf.zeros(p.shape), false));
      this.v.set(name, tf.variable(tf.zeros(p.shape), false));
    }
  }

  /** Applies one update (`update` is 1-based: bias correction uses it) with the final, averaged gradients. */
  step(grads: Map<string, tf.Tensor>, lr: number, update: number): void {
    for (const [name, p] of this.params) {
      const g = grads.get(name);
      if (!g) throw new Error(`AdamW: no gradient for parameter '${name}'`);
      tf.tidy(() =>
        tf.adamwUpdate(p, g, this.m.get(name)!, this.v.get(name)!, {
          lr,
          step: update,
          beta1: this.config.beta1,
          beta2: this.config.beta2,
          eps: this.config.eps,
          weightDecay: decays(name) ? this.config.weightDecay : 0,
        }),
      );
    }
  }

  /** Moment tensors for a safetensors file, fetched one at a time while writing. */
  stateTensors(): { name: string; shape: number[]; data: () => Promise<Float32Array> }[] {
    const out: { name: string; shape: number[]; data: () => Promise<Float32Array> }[] = [];
    for (const [key, moments] of [
      [MOMENT_PREFIX.m, this.m],
      [MOMENT_PREFIX.v, this.v],
    ] as const) {
      for (const [name, t] of moments)
        out.push({ name: key + name, shape: t.shape, data: async () => (await t.data()) as Float32Array });
    }
    return out;
  }

  /** Restores moments by file name; every parameter's pair must be present with its shape. */
  loadState(read: (fileName: string) => { shape: number[]; values: Float32Array } | undefined, source: string): void {
    for (const [key, moments] of [
      [MOMENT_PREFIX.m, this.m],
      [MOMENT_PREFIX.v, this.v],
    ] as const) {
      for (const [name, t] of moments) {
        const got = read(key + name);
        if (!got) throw new FormatError(source, `optimizer state lacks '${key}${name}'`);
        if (!tf.util.arraysEqual(got.shape, t.shape))
          throw new FormatError(source, `'${key}${name}' has shape [${got.shape}], the parameter [${t.shape}]`);
        tf.tidy(() => t.assign(tf.tensor(got.values, t.shape, 'float32')));
      }
    }
  }

  dispose(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
    this.m.clear();
    this.v.clear();
  }
}
