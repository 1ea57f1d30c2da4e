// A tiny in-memory stand-in for the data module's mlmBatches: learnable sequences, masks seeded by (seed, epoch, seq).
import type { DataPosition, MlmBatch } from '../src/data/batches.js';
import { mixSeed } from '../src/trainer/seeds.js';

export interface FakeOptions {
  seed: number;
  batchSize: number;
  seqLength: number;
  vocabSize: number;
  /** Sequences per epoch. */
  epochSize?: number;
  start?: DataPosition;
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** Sequence `index` of `epoch`: <s>, a stride-3 cycle over 8 ids from a seeded start, </s>; 15% masked. */
function fill(o: FakeOptions, pos: DataPosition, row: number, b: MlmBatch, positions: number[], labels: number[]) {
  const T = o.seqLength;
  const r = rng(mixSeed(o.seed, pos.epoch, pos.sequence));
  // few ids and a fixed stride: both the unigram and the neighbours predict a masked id, so a tiny model learns fast
  const span = Math.min(8, o.vocabSize - 5);
  const first = Math.floor(r() * span);
  for (let t = 0; t < T; t++) {
    const id = t === 0 ? 0 : t === T - 1 ? 2 : 4 + ((first + 3 * t) % span);
    b.inputIds[row * T + t] = id;
    b.attentionMask[row * T + t] = 1;
    if (t > 0 && t < T - 1 && r() < 0.15) {
      positions.push(row * T + t);
      labels.push(id);
      b.inputIds[row * T + t] = 3; // <mask> in this fake vocabulary
    }
  }
}

/** Endless batches; `next` is the position after each batch, as the real iterator reports it. */
export function* fakeBatches(o: FakeOptions): Generator<{ batch: MlmBatch; next: DataPosition }> {
  const epochSize = o.epochSize ?? 1_000_000;
  let pos = o.start ?? { epoch: 0, sequence: 0 };
  for (;;) {
    const B = o.batchSize;
    const T = o.seqLength;
    const batch: MlmBatch = {
      batchSize: B,
      seqLength: T,
      inputIds: new Int32Array(B * T),
      attentionMask: new Int32Array(B * T),
      maskedPositions: new Int32Array(0),
      maskedLabels: new Int32Array(0),
    };
    const positions: number[] = [];
    const labels: number[] = [];
    for (let row = 0; row < B; row++) {
      fill(o, pos, row, batch, positions, labels);
      pos =
        pos.sequence + 1 >= epochSize ? { epoch: pos.epoch + 1, sequence: 0 } : { ...pos, sequence: pos.sequence + 1 };
    }
    batch.maskedPositions = Int32Array.from(positions);
    batch.maskedLabels = Int32Array.from(labels);
    yield { batch, next: pos };
  }
}
