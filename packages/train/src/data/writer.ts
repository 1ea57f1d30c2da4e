// Writing shards and the manifest: token arrays -> `.bin` + `.idx`, each atomic, with the sha256s the manifest records.
import { join } from 'node:path';
import { writeFileAtomicSync } from '@robusta/cli-kit';
import { MANIFEST_FILE, type ShardInfo, type ShardManifest } from './format.js';
import { ShardBuilder } from './shard-builder.js';

/**
 * Packs documents into one little-endian token buffer (ids come from a tokenizer whose vocabulary chose the dtype),
 * in `reuse` when it is large enough (the result is then a view of it, valid until the next reuse).
 */
export function packTokens(docs: readonly Uint32Array[], dtype: 'uint16' | 'uint32', reuse?: ArrayBuffer): Uint8Array {
  let total = 0;
  for (const d of docs) total += d.length;
  const width = dtype === 'uint16' ? 2 : 4;
  const into = reuse && reuse.byteLength >= total * width ? reuse : new ArrayBuffer(total * width);
  const out = dtype === 'uint16' ? new Uint16Array(into, 0, total) : new Uint32Array(into, 0, total);
  let at = 0;
  for (const d of docs) {
    out.set(d, at);
    at += d.length;
  }
  // typed arrays use the platform's byte order; shards are little-endian (checked once in shards.ts for readers)
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** Writes `<dir>/<name>.bin` and `.idx` atomically and returns what the manifest records about them. */
export async function writeShard(
  dir: string,
  name: string,
  docs: readonly Uint32Array[],
  dtype: 'uint16' | 'uint32',
): Promise<ShardInfo> {
  const bytes = packTokens(docs, dtype);
  const Ids = dtype === 'uint16' ? Uint16Array : Uint32Array;
  const shard = new ShardBuilder(dtype, dir, name);
  shard.addPacked(
    new Ids(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength / Ids.BYTES_PER_ELEMENT),
    docs.map((d) => d.length),
  );
  return shard.write();
}

/** The manifest goes last: its presence says every shard it lists is complete. */
export function writeManifest(dir: string, manifest: ShardManifest): void {
  writeFileAtomicSync(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}
