// Masked-LM batches over a shard set: packed sequences (or NSP segment pairs) in a per-epoch shuffled order, masked
// dynamically or statically, each a pure function of (seed, epoch, sequence), so iteration can restart at any
// DataPosition.
//
// B = batch size (sequences), T = sequence length (tokens).
import type { SpecialTokenIds } from '@robusta/tokenizer';
import { type MaskOptions, maskSequence } from './masking.js';
import { Packing, type PackingFormat } from './packing.js';
import { type PairFormat, PairSampler } from './pairs.js';
import { CounterRng, Domain, permutation } from './random.js';
import type { SentenceRule } from './sentences.js';
import type { ShardSet } from './shards.js';

/** The paper's Table 2 input formats: packed (FULL-/DOC-SENTENCES) or pairs with next-sentence labels. */
export type InputFormat = PackingFormat | PairFormat;

export interface MlmBatch {
  batchSize: number;
  seqLength: number;
  /** B x T ids after masking. */
  inputIds: Int32Array;
  /** B x T: 1 for real tokens (`<s>` and `</s>` included), 0 for padding. */
  attentionMask: Int32Array;
  /** Flat indices into B x T of the positions to predict, ascending. */
  maskedPositions: Int32Array;
  /** The original ids at maskedPositions. */
  maskedLabels: Int32Array;
  /** Pair formats only: [B] next-sentence labels, 1 when B follows A in its document, 0 when from another one. */
  nspLabels?: Int32Array;
}

/** Where a run continues: `sequence` counts sequences already fed in `epoch` (positions in that epoch's order). */
export interface DataPosition {
  epoch: number;
  sequence: number;
}

export interface MlmBatchOptions {
  seqLength: number;
  batchSize: number;
  seed: number;
  /** The tokenizer's special ids, and `<mask>`'s, which masked-LM batches also need. */
  specials: SpecialTokenIds & { mask: number };
  vocabSize: number;
  /**
   * Default 'full-sentences'. 'segment-pair' and 'sentence-pair' yield `nspLabels`; the paper trains
   * SENTENCE-PAIR with a larger batch so tokens per batch stay near the other formats' (its sequences are short):
   * choose batchSize accordingly, nothing here enforces it.
   */
  format?: InputFormat;
  /** Sentence boundaries (`sentenceRule`): required by 'sentence-pair'; 'segment-pair' cuts at them when given. */
  sentences?: SentenceRule;
  /**
   * The paper's dynamic batch size (meant for 'doc-sentences', whose document tails are short): a batch takes
   * sequences while their real tokens stay within this budget (always at least one), up to batchSize sequences.
   * For FULL-SENTENCES-like tokens per batch use (FULL-SENTENCES batch size) x T and a larger batchSize as the cap.
   */
  tokensPerBatch?: number;
  /** Default 'dynamic'. */
  masking?: 'dynamic' | 'static';
  /** Default 0.15. */
  maskProbability?: number;
  /** Static masking's duplication factor: epoch e uses mask copy e % staticDuplication. Default 10. */
  staticDuplication?: number;
  /** Default { epoch: 0, sequence: 0 }. */
  start?: DataPosition;
  /** Shuffle sequence order per epoch; default true. */
  shuffle?: boolean;
  /** Stop after this many epochs (the last batch may then be smaller); default: never stop. */
  epochs?: number;
  /** More ids that are never masked nor drawn as random tokens (e.g. `<unk>`, `<|endoftext|>`). */
  excludeFromRandom?: readonly number[];
}

function check(ok: boolean, field: string, expected: string, got: unknown): void {
  if (!ok) throw new RangeError(`mlmBatches: ${field} must be ${expected}, got ${JSON.stringify(got)}`);
}

/** Sequences per epoch for these settings (what a trainer needs to turn steps into epochs). */
export function sequenceCount(
  set: ShardSet,
  seqLength: number,
  format: InputFormat = 'full-sentences',
  sentences?: SentenceRule,
): number {
  if (format === 'segment-pair' || format === 'sentence-pair')
    return new PairSampler(set, seqLength, format, 0, sentences).numSequences;
  return new Packing(set, seqLength, format).numSequences;
}

/** One epoch's sequences as the batcher sees them, whatever the format. */
interface SequenceSource {
  numSequences: number;
  lengthOf(id: number, epoch: number): number;
  /** Writes the unmasked sequence into row; returns its real length and, for pairs, the NSP label. */
  fill(id: number, epoch: number, row: Int32Array): { length: number; nsp?: number };
}

function sourceFor(set: ShardSet, T: number, format: InputFormat, seed: number, o: MlmBatchOptions): SequenceSource {
  const { cls, sep, pad } = o.specials;
  if (format === 'segment-pair' || format === 'sentence-pair') {
    const pairs = new PairSampler(set, T, format, seed, o.sentences);
    return {
      numSequences: pairs.numSequences,
      lengthOf: (id, epoch) => {
        const p = pairs.describe(id, epoch);
        return p.a[1] - p.a[0] + p.b[1] - p.b[0] + 4;
      },
      fill: (id, epoch, row) => {
        const r = pairs.fill(id, epoch, row, cls, sep, pad);
        return { length: r.length, nsp: r.isNext ? 1 : 0 };
      },
    };
  }
  const packing = new Packing(set, T, format);
  return {
    numSequences: packing.numSequences,
    lengthOf: (id) => packing.lengthOf(id),
    fill: (id, _epoch, row) => ({ length: packing.fill(id, row, cls, sep, pad) }),
  };
}

export function* mlmBatches(
  set: ShardSet,
  options: MlmBatchOptions,
): Generator<{ batch: MlmBatch; next: DataPosition }> {
  const { seqLength: T, batchSize: B, seed, specials, vocabSize } = options;
  const format = options.format ?? 'full-sentences';
  const masking = options.masking ?? 'dynamic';
  const probability = options.maskProbability ?? 0.15;
  const duplication = options.staticDuplication ?? 10;
  check(Number.isInteger(B) && B >= 1, 'batchSize', 'a whole number >= 1', B);
  check(Number.isInteger(seed) && seed >= 0, 'seed', 'a whole number >= 0', seed);
  check(probability >= 0 && probability <= 1, 'maskProbability', 'in [0, 1]', probability);
  check(Number.isInteger(duplication) && duplication >= 1, 'staticDuplication', 'a whole number >= 1', duplication);
  check(
    ['full-sentences', 'doc-sentences', 'segment-pair', 'sentence-pair'].includes(format),
    'format',
    "'full-sentences', 'doc-sentences', 'segment-pair' or 'sentence-pair'",
    format,
  );
  const budget = options.tokensPerBatch;
  check(
    budget === undefined || (Number.isInteger(budget) && budget >= 1),
    'tokensPerBatch',
    'a whole number >= 1',
    budget,
  );
  check(masking === 'dynamic' || masking === 'static', 'masking', "'dynamic' or 'static'", masking);
  for (const [role, id] of Object.entries(specials))
    check(
      Number.isInteger(id) && id >= 0 && id < vocabSize,
      `specials.${role}`,
      `an id below vocabSize ${vocabSize}`,
      id,
    );
  let source: SequenceSource;
  try {
    source = sourceFor(set, T, format, seed, options);
  } catch (e) {
    // a small valid split is where this usually fails: say which split
    const Kind = e instanceof RangeError ? RangeError : Error;
    throw new Kind(`mlmBatches, ${set.split} split: ${(e as Error).message}`, { cause: e });
  }
  const N = source.numSequences;
  if (N === 0) throw new Error(`mlmBatches: the ${set.split} split has no tokens to make sequences from`);
  let { epoch, sequence } = options.start ?? { epoch: 0, sequence: 0 };
  check(Number.isInteger(epoch) && epoch >= 0, 'start.epoch', 'a whole number >= 0', epoch);
  check(Number.isInteger(sequence) && sequence >= 0 && sequence < N, 'start.sequence', `in [0, ${N})`, sequence);
  const maskOptions: MaskOptions = {
    probability,
    maskId: specials.mask,
    vocabSize,
    special: new Set([specials.cls, specials.sep, specials.pad, specials.mask, ...(options.excludeFromRandom ?? [])]),
  };
  const shuffle = options.shuffle ?? true;
  let orderEpoch = -1;
  let order: Uint32Array = new Uint32Array(0);
  const orderOf = (e: number): Uint32Array => {
    if (e !== orderEpoch) {
      order = shuffle ? permutation(N, seed, Domain.shuffle, e) : Uint32Array.from({ length: N }, (_, i) => i);
      orderEpoch = e;
    }
    return order;
  };
  const scratch = new Int32Array(T);

  for (;;) {
    if (options.epochs !== undefined && epoch >= options.epochs) return;
    const rows: { epoch: number; id: number }[] = [];
    let used = 0;
    while (rows.length < B) {
      const id = orderOf(epoch)[sequence] as number;
      if (budget !== undefined) {
        const length = source.lengthOf(id, epoch);
        if (rows.length > 0 && used + length > budget) break;
        used += length;
      }
      rows.push({ epoch, id });
      if (++sequence === N) {
        epoch++;
        sequence = 0;
        if (options.epochs !== undefined && epoch >= options.epochs) break;
      }
    }
    const b = rows.length;
    const inputIds = new Int32Array(b * T);
    const attentionMask = new Int32Array(b * T);
    const positions: number[] = [];
    const labels: number[] = [];
    const nsp = format === 'segment-pair' || format === 'sentence-pair' ? new Int32Array(b) : undefined;
    rows.forEach((r, i) => {
      const row = inputIds.subarray(i * T, (i + 1) * T);
      const { length, nsp: label } = source.fill(r.id, r.epoch, row);
      if (nsp) nsp[i] = label as number;
      attentionMask.fill(1, i * T, i * T + length);
      const rng =
        masking === 'dynamic'
          ? new CounterRng(seed, Domain.dynamicMask, r.epoch, r.id)
          : new CounterRng(seed, Domain.staticMask, r.epoch % duplication, r.id);
      maskSequence(row, length, rng, maskOptions, scratch, positions, labels, i * T);
    });
    const batch: MlmBatch = {
      batchSize: b,
      seqLength: T,
      inputIds,
      attentionMask,
      maskedPositions: Int32Array.from(positions),
      maskedLabels: Int32Array.from(labels),
    };
    if (nsp) batch.nspLabels = nsp;
    yield { batch, next: { epoch, sequence } };
  }
}
