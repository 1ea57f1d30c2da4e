// What lets a re-run skip a finished shard: the done-record written beside it, the check that the record still covers
// this run's documents with intact files, and the removal of what an earlier run left that this one does not keep.
import { existsSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '@robusta/cli-kit';
import { type ShardInfo, type ShardManifest, sha256File } from '@robusta/train';
import type { DocumentFingerprint, Split } from './document-hash.js';

/** What a finished shard leaves beside its files, so that a re-run can skip it. */
export interface DoneRecord {
  info: ShardInfo;
  /** Hash of its documents' hashes and lengths: a re-run with other inputs does not mistake it for its own. */
  fingerprint: string;
  tokenizerHash: string;
  layout: ShardManifest['layout'];
}

function donePath(dir: string, name: string): string {
  return join(dir, `${name}.done.json`);
}

/**
 * The done-record of shard `name` when it was made with this tokenizer and layout, so that the shard may cover this
 * run's next documents; otherwise (none, unreadable, other settings) undefined and the shard is simply redone.
 */
export function findDone(
  dir: string,
  name: string,
  tokenizerHash: string,
  layout: ShardManifest['layout'],
): DoneRecord | undefined {
  const path = donePath(dir, name);
  if (!existsSync(path)) return undefined;
  let done: DoneRecord;
  try {
    done = JSON.parse(readFileSync(path, 'utf8')) as DoneRecord;
  } catch {
    return undefined;
  }
  return done.tokenizerHash === tokenizerHash && JSON.stringify(done.layout) === JSON.stringify(layout)
    ? done
    : undefined;
}

/** Whether `done` holds exactly the documents fingerprinted, and its files are there with the recorded sha256s. */
export function coversDocuments(dir: string, done: DoneRecord, documents: DocumentFingerprint): boolean {
  if (done.fingerprint !== documents.toString() || done.info.documents !== documents.documents) return false;
  const base = join(dir, done.info.name);
  return (
    existsSync(`${base}.bin`) &&
    existsSync(`${base}.idx`) &&
    sha256File(`${base}.bin`) === done.info.binSha256 &&
    sha256File(`${base}.idx`) === done.info.idxSha256
  );
}

/** Written after the shard's files, so a crash before it only means redoing that shard. */
export async function writeDone(dir: string, done: DoneRecord): Promise<void> {
  const { info, fingerprint, tokenizerHash, layout } = done;
  await writeFileAtomic(donePath(dir, info.name), `${JSON.stringify({ info, fingerprint, tokenizerHash, layout })}\n`);
}

/**
 * Shards from an earlier, larger run are not part of this one, and temp files of shards are what killed runs left:
 * both removed, so the folder matches its manifest.
 */
export function removeStale(dir: string, shards: Record<Split, ShardInfo[]>): void {
  const keep = new Set([...shards.train, ...shards.valid].map((s) => s.name));
  for (const f of readdirSync(dir)) {
    const m = /^((?:train|valid)-\d{5})\.(?:bin|idx|done\.json)$/.exec(f);
    const temp = /^\.(?:train|valid)-\d{5}\.(?:bin|idx|done\.json)\..*\.tmp$/.test(f);
    if (temp || (m && !keep.has(m[1] as string))) unlinkSync(join(dir, f));
  }
}
