// Hugging Face checkpoint directories (config.json + model.safetensors): strict loading and atomic saving.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { FormatError } from '@robusta/cli-kit';
import * as tf from '@robusta/tfjs';
import { type RobertaConfig, readConfig, validateConfig, writeConfig } from './config.js';
import { createModel, type ModelFor, type ModelOptions } from './models.js';
import {
  HEAD_KINDS,
  HEAD_PREFIXES,
  type HeadKind,
  HF,
  HF_ARCHITECTURE,
  PRETRAINING_HEAD_KINDS,
  parameterTable,
} from './names.js';
import { type FloatDtype, SafetensorsReader, writeSafetensors } from './safetensors.js';

export const CONFIG_FILE = 'config.json';
export const WEIGHTS_FILE = 'model.safetensors';

export interface LoadOptions<H extends HeadKind> {
  head: H;
  /**
   * The checkpoint has no (or another) head: initialise this head's parameters from `seed` and drop other heads'
   * parameters. Without it, any missing or unexpected parameter is an error.
   */
  initNewHead?: boolean;
  /** Seed for parameters that `initNewHead` creates. */
  seed?: number;
  /** Applied over config.json, e.g. `numLabels` for a new classification head. */
  configOverrides?: Partial<RobertaConfig>;
  allowUnknownConfigFields?: boolean;
}

export interface LoadReport {
  /** Head parameters created by initialisation (initNewHead). */
  initialised: string[];
  /** Other heads' parameters present in the file and not used (initNewHead). */
  dropped: string[];
  /** Buffers and tied copies the file may carry, accepted without use (position_ids, lm_head.decoder.*, pooler). */
  ignored: string[];
}

/** What a checkpoint file contains relative to what a model needs. */
export interface KeyCheck extends LoadReport {
  missing: string[];
  unexpected: string[];
  mismatched: string[];
  /** File name for each parameter we will load (after prefix and legacy renames). */
  sources: Map<string, string>;
}

/** HF accepts old LayerNorm names and bare-encoder files without the `roberta.` prefix; so do we. */
function canonicalName(fileKey: string, prefixed: boolean): string {
  let k = prefixed ? fileKey : HF.basePrefix + fileKey;
  if (/LayerNorm\.gamma$|layer_norm\.gamma$/.test(k)) k = k.replace(/gamma$/, 'weight');
  if (/LayerNorm\.beta$|layer_norm\.beta$/.test(k)) k = k.replace(/beta$/, 'bias');
  return k;
}

/** Compares a file's tensors with a model's table; pure, so tests can check every category. */
export function checkKeys(
  fileShapes: Map<string, number[]>,
  config: RobertaConfig,
  head: HeadKind,
  initNewHead = false,
): KeyCheck {
  const table = parameterTable(config, head);
  const expected = new Map(table.map((s) => [s.name, s.shape]));
  const headOwn = (n: string) => HEAD_PREFIXES.some((p) => n.startsWith(p));
  const keys = [...fileShapes.keys()];
  // a bare RobertaModel file: every key is an encoder key without the prefix
  const prefixed = keys.some((k) => k.startsWith(HF.basePrefix) || headOwn(k));
  const r: KeyCheck = {
    missing: [],
    unexpected: [],
    mismatched: [],
    initialised: [],
    dropped: [],
    ignored: [],
    sources: new Map(),
  };
  const hasPooler = expected.has(`${HF.pooler}.weight`);
  const mismatchedNames = new Set<string>();
  for (const fileKey of keys) {
    const k = canonicalName(fileKey, prefixed);
    const want = expected.get(k);
    const shape = fileShapes.get(fileKey)!;
    if (want) {
      if (tf.util.arraysEqual(want, shape)) r.sources.set(k, fileKey);
      else {
        r.mismatched.push(`${fileKey}: file [${shape}], model [${want}]`);
        mismatchedNames.add(k);
      }
    } else if ((HF.buffers as readonly string[]).includes(k)) r.ignored.push(fileKey);
    else if (
      (head === 'mlm' || head === 'mlm-nsp') &&
      (k === HF.lmHead.tiedDecoderWeight || k === HF.lmHead.tiedDecoderBias)
    )
      r.ignored.push(fileKey);
    // HF's heads without a pooler ignore a saved one the same way
    else if (!hasPooler && k.startsWith(`${HF.pooler}.`)) r.ignored.push(fileKey);
    else if (initNewHead && headOwn(k)) r.dropped.push(fileKey);
    else r.unexpected.push(fileKey);
  }
  for (const name of expected.keys()) {
    if (r.sources.has(name) || mismatchedNames.has(name)) continue;
    if (initNewHead && headOwn(name)) r.initialised.push(name);
    else r.missing.push(name);
  }
  return r;
}

function describeProblems(check: KeyCheck, head: HeadKind): string | null {
  const parts: string[] = [];
  const list = (title: string, xs: string[]) => {
    if (xs.length === 0) return;
    const shown = xs.slice(0, 12).join(', ');
    parts.push(`${xs.length} ${title}: ${shown}${xs.length > 12 ? `, ... (${xs.length - 12} more)` : ''}`);
  };
  list('missing', check.missing);
  list('unexpected', check.unexpected);
  list('with mismatched shape', check.mismatched);
  if (parts.length === 0) return null;
  const hint = check.missing.some((n) => HEAD_PREFIXES.some((p) => n.startsWith(p)))
    ? ' (to start a new head from this checkpoint, pass initNewHead: true)'
    : '';
  return `cannot load as a '${head}' model: ${parts.join('; ')}${hint}`;
}

/** Loads `dir/config.json` and `dir/model.safetensors`, reading one tensor at a time. Strict by default. */
export async function loadPretrained<H extends HeadKind>(
  dir: string,
  options: LoadOptions<H>,
): Promise<ModelFor[H] & { loadReport: LoadReport }> {
  const head = options.head;
  const known = [...HEAD_KINDS, ...PRETRAINING_HEAD_KINDS];
  if (!known.includes(head)) throw new Error(`unknown head '${head}' (known: ${known.join(', ')})`);
  const fileConfig = await readConfig(join(dir, CONFIG_FILE), { allowUnknownFields: options.allowUnknownConfigFields });
  const overrides = options.configOverrides ?? {};
  // a new label count invalidates the file's label names unless new ones come with it
  const relabel =
    overrides.numLabels !== undefined && overrides.numLabels !== fileConfig.numLabels && !overrides.id2label;
  const config = validateConfig({ ...fileConfig, ...(relabel ? { id2label: null } : {}), ...overrides });
  const path = join(dir, WEIGHTS_FILE);
  const reader = await SafetensorsReader.open(path);
  const weights = new Map<string, tf.Tensor>();
  try {
    const shapes = new Map([...reader.header.tensors].map(([k, t]) => [k, t.shape]));
    const check = checkKeys(shapes, config, head, options.initNewHead);
    const problem = describeProblems(check, head);
    if (problem) throw new FormatError(path, problem);
    for (const [name, fileKey] of check.sources) {
      const info = reader.info(fileKey);
      weights.set(name, tf.tensor(await reader.readFloat32(fileKey), info.shape, 'float32'));
    }
    if (head === 'mlm' || head === 'mlm-nsp') await checkTiedDecoder(reader, weights, path);
    const modelOptions: ModelOptions = { weights, seed: options.seed ?? 0 };
    const model = createModel(config, head, modelOptions);
    const report: LoadReport = { initialised: check.initialised, dropped: check.dropped, ignored: check.ignored };
    return Object.assign(model, { loadReport: report });
  } catch (e) {
    for (const t of weights.values()) t.dispose();
    throw e;
  } finally {
    await reader.close();
  }
}

/** A saved decoder must be the embedding matrix (and its bias lm_head.bias): we tie them and cannot honour others. */
async function checkTiedDecoder(reader: SafetensorsReader, weights: Map<string, tf.Tensor>, path: string) {
  const pairs: [string, string][] = [
    [HF.lmHead.tiedDecoderWeight, HF.embeddings.word],
    [HF.lmHead.tiedDecoderBias, HF.lmHead.bias],
  ];
  for (const [copy, owner] of pairs) {
    if (!reader.header.tensors.has(copy)) continue;
    const a = await reader.readFloat32(copy);
    const b = weights.get(owner)!.dataSync();
    for (let i = 0; i < a.length; i++)
      if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i])))
        throw new FormatError(path, `${copy} differs from ${owner} at index ${i}; untied decoders are not supported`);
  }
}

export interface SaveOptions {
  /** Storage dtype (default F32); weights are converted with round-to-nearest-even. */
  dtype?: FloatDtype;
}

/** Writes `dir/config.json` and `dir/model.safetensors` in HF layout; each file is replaced atomically. */
export async function savePretrained(
  model: { config: RobertaConfig; head: HeadKind; variables: Map<string, tf.Variable> },
  dir: string,
  options: SaveOptions = {},
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tensors = [...model.variables].map(([name, v]) => ({
    name,
    shape: v.shape,
    // fetched one at a time while writing, so a GPU-resident model is never downloaded whole
    data: async () => (await v.data()) as Float32Array,
  }));
  // transformers refuses safetensors files without format metadata
  await writeSafetensors(join(dir, WEIGHTS_FILE), tensors, { dtype: options.dtype, metadata: { format: 'pt' } });
  await writeConfig(join(dir, CONFIG_FILE), model.config, HF_ARCHITECTURE[model.head]);
}
