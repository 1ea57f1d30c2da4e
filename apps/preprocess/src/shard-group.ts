// A shard as it fills during a run, and how an encode call's packed ids reach the shards of their documents.
import type { PackedBatch } from '@robusta/tokenizer';
import type { ShardBuilder } from '@robusta/train';
import type { DocumentFingerprint, Split } from './document-hash.js';
import type { DoneRecord } from './resume.js';

/** The documents of one shard as it fills. */
export interface ShardGroup {
  split: Split;
  name: string;
  documents: DocumentFingerprint;
  /** Set while an earlier run's shard may cover this group: its documents wait in `held`, unencoded, until it closes. */
  done: DoneRecord | undefined;
  held: Uint8Array[];
  /** Ids arrived so far, packed and hashed in document order. */
  shard: ShardBuilder;
}

/**
 * Appends a batch's ids to the shards of its documents. The ids come packed in parts, the documents of a part in
 * order; each run of a part's documents that goes to one shard is appended in one piece, now rather than at closing.
 */
export function appendToShards(packed: PackedBatch, groups: readonly ShardGroup[]): void {
  let doc = 0;
  for (const { ids, lengths } of packed.parts) {
    let from = 0;
    let at = 0;
    let start = 0;
    for (let i = 1; i <= lengths.length; i++) {
      at += lengths[i - 1] as number;
      if (i < lengths.length && groups[doc + i] === groups[doc + from]) continue;
      (groups[doc + from] as ShardGroup).shard.addPacked(ids.subarray(start, at), lengths.subarray(from, i));
      from = i;
      start = at;
    }
    doc += lengths.length;
  }
}
