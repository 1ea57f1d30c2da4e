// The pretraining run's configuration: typed fields, the paper's presets, JSON files and CLI overrides, and
// validation whose messages name the field and where its value came from.
import { readFileSync } from 'node:fs';
import { ConfigError } from '@robusta/cli-kit';
import type { PresetName, RobertaConfig } from '@robusta/model';

export interface PretrainConfig {
  preset: PresetName;
  /** Shard folder written by robusta-preprocess. */
  data: string;
  /** Run folder: pretrain-config.json, metrics.jsonl, plot.svg, checkpoints/. */
  out: string;
  /** Overrides of the model preset (vocabulary size and special ids come from the shards). */
  model: Partial<RobertaConfig>;
  seqLength: number;
  /** Sequences per micro-batch. */
  batchSize: number;
  /** Micro-batches per update: batch = batchSize x updateFreq sequences. */
  updateFreq: number;
  maxUpdates: number;
  peakLr: number;
  warmupUpdates: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** 0: no clipping (the paper). */
  clipNorm: number;
  /**
   * The paper's Table 2 inputs: packed ('full-sentences', 'doc-sentences') or pairs trained with the next-sentence
   * loss too ('segment-pair', 'sentence-pair'; sentences are found with the shard folder's tokenizer.json).
   */
  format: 'full-sentences' | 'doc-sentences' | 'segment-pair' | 'sentence-pair';
  /**
   * Real tokens per micro-batch (0: off): a batch takes sequences while they fit, up to batchSize. The paper's
   * dynamic batch for the formats with short sequences (doc-sentences' document tails, sentence-pair).
   */
  tokensPerBatch: number;
  masking: 'dynamic' | 'static';
  maskProbability: number;
  staticDuplication: number;
  seed: number;
  /** Validate every N updates (0: at the start and the end only). */
  validEvery: number;
  /** Held-out batches per validation (0: the whole valid split). */
  validBatches: number;
  checkpointEvery: number;
  keepLast: number;
  resume: 'auto' | 'never' | string;
  backend: 'auto' | 'robusta' | 'cpu';
  /** Stop with a checkpoint after this many minutes (0: no limit). */
  maxMinutes: number;
  /** Seconds between plain log lines when stdout is not a terminal. */
  logEverySeconds: number;
}

const common = {
  data: '',
  out: '',
  model: {},
  beta1: 0.9,
  beta2: 0.98,
  eps: 1e-6,
  weightDecay: 0.01,
  clipNorm: 0,
  format: 'full-sentences',
  tokensPerBatch: 0,
  masking: 'dynamic',
  maskProbability: 0.15,
  staticDuplication: 10,
  seed: 1,
  validBatches: 100,
  keepLast: 3,
  resume: 'auto',
  backend: 'auto',
  maxMinutes: 0,
  logEverySeconds: 10,
} satisfies Partial<PretrainConfig>;

/**
 * The paper's Table 9 for base and large (batch 8K sequences of 512 tokens, reached here with updateFreq on one
 * process; 500K updates; Adam beta2 .98, eps 1e-6; decay .01); tiny is sized to learn visibly in minutes on a CPU.
 */
export const PRESETS: Readonly<Record<PresetName, PretrainConfig>> = {
  tiny: {
    ...common,
    preset: 'tiny',
    model: { hiddenSize: 128, intermediateSize: 512, numAttentionHeads: 2, numHiddenLayers: 2 },
    seqLength: 128,
    batchSize: 16,
    updateFreq: 1,
    // ~0.35 s per update with 'robusta' on 2 cores: about 3 minutes
    maxUpdates: 500,
    peakLr: 1e-3,
    warmupUpdates: 30,
    validEvery: 100,
    validBatches: 20,
    checkpointEvery: 200,
  },
  base: {
    ...common,
    preset: 'base',
    seqLength: 512,
    batchSize: 32,
    updateFreq: 256,
    maxUpdates: 500_000,
    peakLr: 6e-4,
    warmupUpdates: 24_000,
    validEvery: 2000,
    checkpointEvery: 2000,
  },
  large: {
    ...common,
    preset: 'large',
    seqLength: 512,
    batchSize: 32,
    updateFreq: 256,
    maxUpdates: 500_000,
    peakLr: 4e-4,
    warmupUpdates: 30_000,
    validEvery: 2000,
    checkpointEvery: 2000,
  },
};

type Kind = 'int' | 'posint' | 'number' | 'string' | readonly string[];
const FIELDS: Record<Exclude<keyof PretrainConfig, 'model'>, Kind> = {
  preset: ['tiny', 'base', 'large'],
  data: 'string',
  out: 'string',
  seqLength: 'posint',
  batchSize: 'posint',
  updateFreq: 'posint',
  maxUpdates: 'posint',
  peakLr: 'number',
  warmupUpdates: 'int',
  beta1: 'number',
  beta2: 'number',
  eps: 'number',
  weightDecay: 'number',
  clipNorm: 'number',
  format: ['full-sentences', 'doc-sentences', 'segment-pair', 'sentence-pair'],
  tokensPerBatch: 'int',
  masking: ['dynamic', 'static'],
  maskProbability: 'number',
  staticDuplication: 'posint',
  seed: 'int',
  validEvery: 'int',
  validBatches: 'int',
  checkpointEvery: 'int',
  keepLast: 'int',
  resume: 'string',
  backend: ['auto', 'robusta', 'cpu'],
  maxMinutes: 'number',
  logEverySeconds: 'number',
};
const MODEL_FIELDS = [
  'hiddenSize',
  'numHiddenLayers',
  'numAttentionHeads',
  'intermediateSize',
  'maxPositionEmbeddings',
  'hiddenDropoutProb',
  'attentionProbsDropoutProb',
  'initializerRange',
  'layerNormEps',
] as const;

/** Every field the command line may set: the run's, and the model's as `model.<field>`. */
export const FIELD_NAMES: readonly string[] = [...Object.keys(FIELDS), ...MODEL_FIELDS.map((f) => `model.${f}`)];

/** Accepts camelCase or kebab-case (`--peak-lr`). */
export function fieldName(key: string): string {
  return key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Parses a CLI string into the field's type; throws naming the field. */
function coerce(field: string, kind: Kind | 'modelNumber', raw: unknown, source: string): unknown {
  const fail = (expected: string): never => {
    throw new ConfigError(source, `'${field}' must be ${expected}, got ${JSON.stringify(raw)}`);
  };
  if (Array.isArray(kind)) {
    if (typeof raw !== 'string' || !kind.includes(raw)) fail(`one of ${kind.map((k) => `'${k}'`).join(', ')}`);
    return raw;
  }
  if (kind === 'string') {
    if (typeof raw !== 'string') fail('a string');
    return raw;
  }
  const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isFinite(n)) fail('a number');
  const v = n as number;
  if (kind === 'int' && (!Number.isInteger(v) || v < 0)) fail('a whole number >= 0');
  if (kind === 'posint' && (!Number.isInteger(v) || v < 1)) fail('a whole number >= 1');
  return v;
}

/** Applies `key=value` pairs (strings from the CLI, or typed values from a JSON file) over a config. */
export function applyOverrides(base: PretrainConfig, pairs: [string, unknown][], source: string): PretrainConfig {
  const c: PretrainConfig = { ...base, model: { ...base.model } };
  for (const [rawKey, raw] of pairs) {
    const key = fieldName(rawKey);
    if (key === 'model' && typeof raw === 'object' && raw !== null) {
      for (const [k, v] of Object.entries(raw)) Object.assign(c, applyOverrides(c, [[`model.${k}`, v]], source));
      continue;
    }
    if (key.startsWith('model.')) {
      const f = key.slice(6);
      if (!(MODEL_FIELDS as readonly string[]).includes(f))
        throw new ConfigError(source, `unknown model field '${f}' (known: ${MODEL_FIELDS.join(', ')})`);
      (c.model as Record<string, unknown>)[f] = coerce(key, 'number', raw, source);
      continue;
    }
    const kind = FIELDS[key as keyof typeof FIELDS];
    if (!kind)
      throw new ConfigError(source, `unknown field '${rawKey}' (known: ${Object.keys(FIELDS).join(', ')}, model.*)`);
    (c as unknown as Record<string, unknown>)[key] = coerce(key, kind, raw, source);
  }
  return c;
}

/** Reads a JSON config file: an object of fields (a `preset` in it picks the base). */
export function readConfigFile(path: string): [string, unknown][] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ConfigError(path, (e as Error).message);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new ConfigError(path, `expected a JSON object of config fields`);
  return Object.entries(json);
}

/** Relations between fields, checked once everything is merged. */
export function validateConfig(c: PretrainConfig): PretrainConfig {
  const bad = (field: string, msg: string): never => {
    throw new ConfigError('config', `'${field}' ${msg}`);
  };
  if (!c.data) bad('data', 'is required: the shard folder written by robusta-preprocess (--data DIR)');
  if (!c.out) bad('out', 'is required: the run folder (--out DIR)');
  if (c.warmupUpdates >= c.maxUpdates)
    bad('warmupUpdates', `(${c.warmupUpdates}) must be below maxUpdates (${c.maxUpdates})`);
  if (!(c.peakLr > 0)) bad('peakLr', `must be > 0, got ${c.peakLr}`);
  if (!(c.beta1 >= 0 && c.beta1 < 1)) bad('beta1', `must be in [0, 1), got ${c.beta1}`);
  if (!(c.beta2 >= 0 && c.beta2 < 1)) bad('beta2', `must be in [0, 1), got ${c.beta2}`);
  if (!(c.eps > 0)) bad('eps', `must be > 0, got ${c.eps}`);
  if (!(c.weightDecay >= 0)) bad('weightDecay', `must be >= 0, got ${c.weightDecay}`);
  if (!(c.clipNorm >= 0)) bad('clipNorm', `must be >= 0 (0 turns clipping off), got ${c.clipNorm}`);
  if (!(c.maskProbability > 0 && c.maskProbability < 1))
    bad('maskProbability', `must be in (0, 1), got ${c.maskProbability}`);
  if (c.seqLength < 8) bad('seqLength', `must be at least 8, got ${c.seqLength}`);
  if (c.maxMinutes < 0) bad('maxMinutes', `must be >= 0, got ${c.maxMinutes}`);
  return c;
}

/** preset -> config file -> CLI pairs, validated. */
export function resolveConfig(cli: [string, unknown][], configFile?: string): PretrainConfig {
  const file = configFile ? readConfigFile(configFile) : [];
  const presetOf = (pairs: [string, unknown][]) => pairs.find(([k]) => k === 'preset')?.[1];
  const preset = (presetOf(cli) ?? presetOf(file) ?? 'tiny') as string;
  if (!(preset in PRESETS))
    throw new ConfigError(
      undefined,
      `'preset' must be one of ${Object.keys(PRESETS).join(', ')}, got ${JSON.stringify(preset)}`,
    );
  let c = PRESETS[preset as PresetName];
  if (configFile) c = applyOverrides(c, file, configFile);
  c = applyOverrides(c, cli, 'command line');
  return validateConfig(c);
}
