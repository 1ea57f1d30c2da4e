// Runs transformers_side.py in the Python that holds PyTorch and transformers, on a list of operations.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findPython } from '@robusta/test-kit';

const SCRIPT = fileURLToPath(new URL('./transformers_side.py', import.meta.url));

/** The interpreter, or why there is none (the tests skip locally and fail on CI with that reason). */
export const transformersPython = findPython(['torch', 'transformers', 'tokenizers']);

/** A padded batch: ids and attention mask (1 real, 0 pad), [B, T] or, for multiple choice, [B, C, T]. */
export interface Batch {
  input_ids: number[][] | number[][][];
  attention_mask: number[][] | number[][][];
}

export type Op =
  /** `AutoModel*.from_pretrained(dir)` (`auto` names the class, e.g. AutoModelForMaskedLM), run on `batch`. */
  | { op: 'load_model'; dir: string; auto: string; batch: Batch }
  /** transformers' `arch` (e.g. RobertaForMaskedLM) built from `config` (HF field names), perturbed, saved, run. */
  | { op: 'save_model'; dir: string; arch: string; config: Record<string, unknown>; seed: number; batch: Batch }
  /** Ids of `texts` and `pairs` from a transformers tokenizer class (see TokenizerOp). */
  | TokenizerOp
  /**
   * Trains HF tokenizers' byte-level BPE on `corpus` files, writes vocab.json + merges.txt to `files_dir`, and saves
   * transformers' RoBERTa tokenizer of them (with roberta-base's `<mask>`) to `dir` with save_pretrained.
   */
  | {
      op: 'save_tokenizer';
      dir: string;
      files_dir: string;
      corpus: string[];
      vocab_size: number;
      min_frequency: number;
      special_tokens: string[];
    };

/** AutoTokenizer or RobertaTokenizerFast `.from_pretrained(dir)`, or PreTrainedTokenizerFast on a tokenizer.json. */
export type TokenizerOp = (
  | { with: 'AutoTokenizer' | 'RobertaTokenizerFast'; dir: string }
  | { with: 'PreTrainedTokenizerFast'; file: string }
) & {
  op: 'tokenize';
  texts: string[];
  pairs: [string, string][];
  /** Also return `texts` as one padded batch. */
  batch?: boolean;
};

/** A tensor as transformers computed it, flattened row-major. */
export interface Tensor {
  shape: number[];
  data: number[];
}

export type Outputs = Record<string, Tensor | Tensor[]>;

export interface LoadModelResult {
  class: string;
  dtype: string;
  missing: string[];
  unexpected: string[];
  mismatched: string[];
  outputs: Outputs;
}

export interface SaveModelResult {
  class: string;
  files: string[];
  outputs: Outputs;
}

export interface TokenizeResult {
  class: string;
  /** `tok(text)`: with `<s>` ... `</s>`. */
  ids: number[][];
  /** `tok(text, add_special_tokens=False)`. */
  plain: number[][];
  /** `tok(a, b)`: `<s> A </s></s> B </s>`. */
  pairs: number[][];
  /** How transformers holds `<mask>` (null when the tokenizer has none). */
  mask: { content: string; lstrip: boolean; rstrip: boolean } | null;
  batch?: Batch;
}

export interface SaveTokenizerResult {
  class: string;
  files: string[];
  vocab_size: number;
}

export interface TransformersRun {
  versions: { torch: string; transformers: string };
  /** One per op, in order: the op's result, or `{ error }` with what it raised. */
  results: unknown[];
}

/** Op `i`'s result; an op that raised throws its error here, failing the test that asked for it. */
export function resultOf<R>(run: TransformersRun, i: number, what: string): R {
  const r = run.results[i] as { error?: string } | undefined;
  if (r === undefined) throw new Error(`${what}: no result (${run.results.length} results)`);
  if (typeof r.error === 'string') throw new Error(`${what}: transformers raised ${r.error}`);
  return r as R;
}

/** Runs the ops in one Python process; throws with Python's stderr when it fails. */
export function runTransformers(ops: Op[]): TransformersRun {
  const python = transformersPython.python;
  if (python === null) throw new Error(`runTransformers: ${transformersPython.missing}`);
  const r = spawnSync(python, [SCRIPT], {
    input: JSON.stringify({ ops }),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    // offline: every file comes from this test; a hub lookup would only hang on a machine without network
    env: { ...process.env, HF_HUB_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1', TOKENIZERS_PARALLELISM: 'false' },
  });
  if (r.status !== 0) throw new Error(`${SCRIPT} failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stderr}`);
  return JSON.parse(r.stdout) as TransformersRun;
}
