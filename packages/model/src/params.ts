// Parameter storage: tf.Variables keyed by HF name, created from the table by seeded init or from loaded values.
import * as tf from '@robusta/tfjs';
import type { RobertaConfig } from './config.js';
import { type HeadKind, type ParamSpec, parameterTable } from './names.js';
import { fillNormal, hashSeed } from './rng.js';

export interface Linear {
  weight: tf.Variable;
  bias: tf.Variable;
}
export type LayerNormParams = Linear;

/** Initial values for one parameter as HF's `_init_weights` does: N(0, range), zero biases, unit LayerNorm scale. */
export function initialValues(spec: ParamSpec, c: RobertaConfig, seed: number): Float32Array {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  if (spec.init === 'ones') v.fill(1);
  else if (spec.init === 'normal' || spec.init === 'normal-zero-pad-row') {
    fillNormal(v, c.initializerRange, hashSeed(seed, spec.name));
    // nn.Embedding(padding_idx) keeps the pad row at zero
    if (spec.init === 'normal-zero-pad-row') {
      const cols = spec.shape[1]!;
      v.fill(0, c.padTokenId * cols, (c.padTokenId + 1) * cols);
    }
  }
  return v;
}

export class ParamStore {
  readonly variables = new Map<string, tf.Variable>();
  readonly specs: Map<string, ParamSpec>;

  /**
   * `values` supplies loaded tensors by name (adopted, not copied); anything it lacks is initialised from `seed`.
   */
  constructor(
    readonly config: RobertaConfig,
    readonly head: HeadKind,
    seed: number,
    values: Map<string, tf.Tensor> = new Map(),
  ) {
    const table = parameterTable(config, head);
    this.specs = new Map(table.map((s) => [s.name, s]));
    for (const spec of table) {
      const given = values.get(spec.name);
      const t = given ?? tf.tensor(initialValues(spec, config, seed), spec.shape, 'float32');
      if (!tf.util.arraysEqual(t.shape, spec.shape))
        throw new Error(`parameter ${spec.name}: shape [${t.shape}] given, [${spec.shape}] expected`);
      // unnamed: tfjs variable names are global, and two models of one kind must coexist
      this.variables.set(spec.name, tf.variable(t, true));
      t.dispose();
    }
  }

  get(name: string): tf.Variable {
    const v = this.variables.get(name);
    if (!v)
      throw new Error(`no parameter '${name}' in a ${this.head} model (a bug: the table and the modules disagree)`);
    return v;
  }

  linear(prefix: string): Linear {
    return { weight: this.get(`${prefix}.weight`), bias: this.get(`${prefix}.bias`) };
  }

  dispose(): void {
    for (const v of this.variables.values()) v.dispose();
    this.variables.clear();
  }
}
