// An in-memory ShardSet over token arrays: for tests, small corpora and tools that tokenize on the fly.
import { dtypeFor, type ShardManifest } from './format.js';
import type { ShardSet } from './shards.js';

export function memoryShardSet(
  docs: readonly Uint32Array[],
  vocabSize: number,
  split: 'train' | 'valid' = 'train',
): ShardSet {
  const tokens = docs.reduce((s, d) => s + d.length, 0);
  const manifest: ShardManifest = {
    version: 1,
    tokenizerHash: '',
    vocabSize,
    dtype: dtypeFor(vocabSize),
    splits: { train: [], valid: [] },
    documents: { read: docs.length, train: 0, valid: 0, empty: 0, invalidUtf8: 0, badLines: 0 },
    tokens: { train: 0, valid: 0 },
    specials: {},
    layout: { validFraction: 0, seed: 0, shardBytes: 0 },
    textBytes: 0,
  };
  manifest.documents[split] = docs.length;
  manifest.tokens[split] = tokens;
  const doc = (i: number): Uint32Array => {
    const d = docs[i];
    if (d === undefined) throw new RangeError(`document ${i} is out of range: ${docs.length} documents`);
    return d;
  };
  return {
    manifest,
    split,
    numDocuments: docs.length,
    numTokens: tokens,
    document: (i) => doc(i).slice(),
    documentLength: (i) => doc(i).length,
    readInto(i, start, end, out, at) {
      const d = doc(i);
      if (start < 0 || end > d.length || start > end)
        throw new RangeError(`document ${i}: tokens [${start}, ${end}) outside its ${d.length} tokens`);
      out.set(d.subarray(start, end), at);
    },
    close() {},
  };
}
