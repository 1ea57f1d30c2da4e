// RoBERTa configuration: typed fields, named presets, validation, and Hugging Face `config.json` read/write.
import { readFile } from 'node:fs/promises';
import { ConfigError, FormatError, writeFileAtomic } from '@robusta/cli-kit';

export type ProblemType = 'regression' | 'single_label_classification' | 'multi_label_classification';

export interface RobertaConfig {
  vocabSize: number;
  hiddenSize: number;
  numHiddenLayers: number;
  numAttentionHeads: number;
  intermediateSize: number;
  maxPositionEmbeddings: number;
  typeVocabSize: number;
  layerNormEps: number;
  padTokenId: number;
  bosTokenId: number;
  eosTokenId: number;
  hiddenDropoutProb: number;
  attentionProbsDropoutProb: number;
  /** Dropout before the classifier's dense layers; null means "use hiddenDropoutProb", as in HF. */
  classifierDropout: number | null;
  initializerRange: number;
  numLabels: number;
  problemType: ProblemType | null;
  /** Label names by index; optional, kept so a finetuned checkpoint round-trips its labels. */
  id2label: Record<number, string> | null;
}

export type PresetName = 'tiny' | 'base' | 'large';

const common = {
  maxPositionEmbeddings: 514,
  typeVocabSize: 1,
  layerNormEps: 1e-5,
  padTokenId: 1,
  bosTokenId: 0,
  eosTokenId: 2,
  hiddenDropoutProb: 0.1,
  attentionProbsDropoutProb: 0.1,
  classifierDropout: null,
  initializerRange: 0.02,
  numLabels: 2,
  problemType: null,
  id2label: null,
} satisfies Partial<RobertaConfig>;

export const PRESETS: Readonly<Record<PresetName, Readonly<RobertaConfig>>> = {
  // small enough that a forward+backward on the cpu backend takes milliseconds; 128 tokens need 130 positions
  tiny: {
    ...common,
    vocabSize: 128,
    hiddenSize: 64,
    numHiddenLayers: 2,
    numAttentionHeads: 2,
    intermediateSize: 256,
    maxPositionEmbeddings: 130,
  },
  base: {
    ...common,
    vocabSize: 50265,
    hiddenSize: 768,
    numHiddenLayers: 12,
    numAttentionHeads: 12,
    intermediateSize: 3072,
  },
  large: {
    ...common,
    vocabSize: 50265,
    hiddenSize: 1024,
    numHiddenLayers: 24,
    numAttentionHeads: 16,
    intermediateSize: 4096,
  },
};

/** A preset with overrides applied, validated. */
export function configFromPreset(name: PresetName, overrides: Partial<RobertaConfig> = {}): RobertaConfig {
  const base = PRESETS[name];
  if (!base) throw new ConfigError(undefined, `unknown preset '${name}' (known: ${Object.keys(PRESETS).join(', ')})`);
  return validateConfig({ ...base, ...overrides });
}

const PROBLEM_TYPES: readonly ProblemType[] = [
  'regression',
  'single_label_classification',
  'multi_label_classification',
];

/** Checks every field and the relations between them; returns the config or throws naming the field. */
export function validateConfig(c: RobertaConfig, source = 'config'): RobertaConfig {
  const posInt = (k: keyof RobertaConfig, min = 1) => {
    const v = c[k];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min)
      throw new ConfigError(source, `${k} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  };
  const prob = (k: keyof RobertaConfig) => {
    const v = c[k];
    if (typeof v !== 'number' || !(v >= 0 && v < 1))
      throw new ConfigError(source, `${k} must be a probability in [0, 1), got ${JSON.stringify(v)}`);
  };
  for (const k of [
    'vocabSize',
    'hiddenSize',
    'numHiddenLayers',
    'numAttentionHeads',
    'intermediateSize',
    'maxPositionEmbeddings',
    'typeVocabSize',
    'numLabels',
  ] as const)
    posInt(k);
  for (const k of ['padTokenId', 'bosTokenId', 'eosTokenId'] as const) {
    posInt(k, 0);
    if (c[k] >= c.vocabSize)
      throw new ConfigError(source, `${k} ${c[k]} is outside the vocabulary (vocabSize ${c.vocabSize})`);
  }
  prob('hiddenDropoutProb');
  prob('attentionProbsDropoutProb');
  if (c.classifierDropout !== null) prob('classifierDropout');
  if (c.hiddenSize % c.numAttentionHeads !== 0)
    throw new ConfigError(
      source,
      `hiddenSize ${c.hiddenSize} is not divisible by numAttentionHeads ${c.numAttentionHeads} (head size must be an integer)`,
    );
  // positions start at padTokenId + 1, so at least one real token needs padTokenId + 2 rows
  if (c.maxPositionEmbeddings < c.padTokenId + 2)
    throw new ConfigError(
      source,
      `maxPositionEmbeddings ${c.maxPositionEmbeddings} leaves no room for tokens: positions start at padTokenId + 1 = ${c.padTokenId + 1}`,
    );
  if (!(typeof c.layerNormEps === 'number' && c.layerNormEps > 0 && c.layerNormEps < 1))
    throw new ConfigError(source, `layerNormEps must be in (0, 1), got ${JSON.stringify(c.layerNormEps)}`);
  if (!(typeof c.initializerRange === 'number' && c.initializerRange > 0))
    throw new ConfigError(source, `initializerRange must be > 0, got ${JSON.stringify(c.initializerRange)}`);
  if (c.problemType !== null && !PROBLEM_TYPES.includes(c.problemType))
    throw new ConfigError(
      source,
      `problemType must be one of ${PROBLEM_TYPES.join(', ')} or null, got ${c.problemType}`,
    );
  if (c.problemType === 'single_label_classification' && c.numLabels < 2)
    throw new ConfigError(source, `problemType single_label_classification needs numLabels >= 2, got ${c.numLabels}`);
  if (c.id2label !== null) {
    const keys = Object.keys(c.id2label);
    if (keys.length !== c.numLabels)
      throw new ConfigError(source, `id2label has ${keys.length} labels but numLabels is ${c.numLabels}`);
    for (let i = 0; i < c.numLabels; i++)
      if (typeof c.id2label[i] !== 'string') throw new ConfigError(source, `id2label is missing label ${i}`);
  }
  return c;
}

/** HF field name for each of ours: the only place the two spellings meet. */
const HF_FIELDS: Record<Exclude<keyof RobertaConfig, 'id2label'>, string> = {
  vocabSize: 'vocab_size',
  hiddenSize: 'hidden_size',
  numHiddenLayers: 'num_hidden_layers',
  numAttentionHeads: 'num_attention_heads',
  intermediateSize: 'intermediate_size',
  maxPositionEmbeddings: 'max_position_embeddings',
  typeVocabSize: 'type_vocab_size',
  layerNormEps: 'layer_norm_eps',
  padTokenId: 'pad_token_id',
  bosTokenId: 'bos_token_id',
  eosTokenId: 'eos_token_id',
  hiddenDropoutProb: 'hidden_dropout_prob',
  attentionProbsDropoutProb: 'attention_probs_dropout_prob',
  classifierDropout: 'classifier_dropout',
  initializerRange: 'initializer_range',
  numLabels: 'num_labels',
  problemType: 'problem_type',
};

/** HF fields whose value must be exactly this, because we implement only that variant. */
const HF_FIXED: Record<string, unknown> = {
  model_type: 'roberta',
  hidden_act: 'gelu',
  position_embedding_type: 'absolute',
  is_decoder: false,
  add_cross_attention: false,
  tie_word_embeddings: true,
  is_encoder_decoder: false,
};

/** Bookkeeping fields HF writes that do not change what the model computes; accepted and ignored. */
const HF_IGNORED = new Set([
  'architectures',
  'transformers_version',
  'torch_dtype',
  'dtype',
  '_name_or_path',
  'use_cache',
  'label2id',
  'output_past',
  'gradient_checkpointing',
  'return_dict',
  'output_hidden_states',
  'output_attentions',
  'torchscript',
  'chunk_size_feed_forward',
  'tokenizer_class',
  'sep_token_id',
  'cls_token_id',
  'finetuning_task',
]);

export interface FromHFOptions {
  /** Where the JSON came from, used in error messages. */
  source?: string;
  /** Ignore fields this reader does not know instead of failing (default false: a typo should not pass silently). */
  allowUnknownFields?: boolean;
}

/** Parses a HF `config.json` object. HF defaults apply to absent fields, as in `RobertaConfig()` in transformers. */
export function configFromHF(json: unknown, options: FromHFOptions = {}): RobertaConfig {
  const source = options.source ?? 'config.json';
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new ConfigError(source, `expected a JSON object at the top level`);
  const obj = json as Record<string, unknown>;
  const known = new Set([...Object.values(HF_FIELDS), ...Object.keys(HF_FIXED), ...HF_IGNORED, 'id2label']);
  for (const k of Object.keys(obj)) {
    if (!known.has(k) && !options.allowUnknownFields)
      throw new ConfigError(source, `unknown field '${k}' (pass allowUnknownFields to ignore it)`);
  }
  for (const [k, want] of Object.entries(HF_FIXED)) {
    if (k in obj && obj[k] !== want)
      throw new ConfigError(source, `${k} is ${JSON.stringify(obj[k])}; only ${JSON.stringify(want)} is supported`);
  }
  // HF's own defaults for absent fields (RobertaConfig in transformers): base sizes, 512 positions, eps 1e-12
  const hfDefaults: RobertaConfig = {
    ...PRESETS.base,
    vocabSize: 30522,
    maxPositionEmbeddings: 512,
    typeVocabSize: 2,
    layerNormEps: 1e-12,
  };
  const out: Record<string, unknown> = { ...hfDefaults };
  for (const [ours, theirs] of Object.entries(HF_FIELDS)) {
    if (!(theirs in obj)) continue;
    const v = obj[theirs];
    const nullable = ours === 'classifierDropout' || ours === 'problemType';
    const expected = ours === 'problemType' ? 'string' : 'number';
    if (v === null && nullable) out[ours] = null;
    else if (typeof v !== expected)
      throw new ConfigError(
        source,
        `${theirs} must be a ${expected}${nullable ? ' or null' : ''}, got ${JSON.stringify(v)}`,
      );
    else out[ours] = v;
  }
  // HF writes LABEL_0.. when nobody named the labels; that is "no names", not a user's choice
  const labels = 'id2label' in obj ? parseId2Label(obj.id2label, source) : null;
  const generic = labels !== null && Object.entries(labels).every(([k, v]) => v === `LABEL_${k}`);
  out.id2label = generic ? null : labels;
  // HF infers num_labels from id2label when only the latter is given
  if (labels !== null && !('num_labels' in obj)) out.numLabels = Object.keys(labels).length;
  if (obj.label2id !== undefined && (typeof obj.label2id !== 'object' || obj.label2id === null))
    throw new ConfigError(source, `label2id must be an object`);
  return validateConfig(out as unknown as RobertaConfig, source);
}

function parseId2Label(v: unknown, source: string): Record<number, string> {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new ConfigError(source, `id2label must be an object`);
  const out: Record<number, string> = {};
  for (const [k, name] of Object.entries(v)) {
    if (!/^(0|[1-9][0-9]*)$/.test(k)) throw new ConfigError(source, `id2label key '${k}' is not a label index`);
    if (typeof name !== 'string') throw new ConfigError(source, `id2label['${k}'] must be a string`);
    out[Number(k)] = name;
  }
  return out;
}

/** The HF `config.json` object for a config; `architectures` names the HF class so transformers picks the head. */
export function configToHF(c: RobertaConfig, architecture?: string): Record<string, unknown> {
  validateConfig(c);
  const out: Record<string, unknown> = {};
  if (architecture) out.architectures = [architecture];
  out.model_type = 'roberta';
  out.hidden_act = 'gelu';
  out.position_embedding_type = 'absolute';
  for (const [ours, theirs] of Object.entries(HF_FIELDS)) out[theirs] = c[ours as keyof RobertaConfig];
  // HF always writes the label maps; generic names keep num_labels consistent when the user gave none
  const id2label = c.id2label ?? Object.fromEntries(Array.from({ length: c.numLabels }, (_, i) => [i, `LABEL_${i}`]));
  out.id2label = Object.fromEntries(Object.entries(id2label).map(([k, v]) => [String(k), v]));
  out.label2id = Object.fromEntries(Object.entries(id2label).map(([k, v]) => [v, Number(k)]));
  out.tie_word_embeddings = true;
  out.use_cache = true;
  return out;
}

export async function readConfig(path: string, options: Omit<FromHFOptions, 'source'> = {}): Promise<RobertaConfig> {
  const text = await readFile(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new FormatError(path, `not valid JSON (${(e as Error).message})`);
  }
  return configFromHF(json, { ...options, source: path });
}

export async function writeConfig(path: string, c: RobertaConfig, architecture?: string): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(configToHF(c, architecture), null, 2)}\n`);
}

/** Head size D = H / A. */
export function headSize(c: RobertaConfig): number {
  return c.hiddenSize / c.numAttentionHeads;
}

/**
 * `RobertaConfig` is a value as well as the type, so `import { RobertaConfig } from '@robusta/model'`
 * compiles under verbatimModuleSyntax (a type-only export would need `import type`): `RobertaConfig.fromPreset('tiny')`.
 */
export const RobertaConfig = {
  presets: PRESETS,
  fromPreset: configFromPreset,
  fromHF: configFromHF,
  toHF: configToHF,
  read: readConfig,
  write: writeConfig,
  validate: validateConfig,
} as const;
