// Reads vocabulary files and the core from a path (Node), a URL (Node or browser) or bytes, for the loaders.
// The Tokenizer imports this module on demand, so a pool worker's module graph never reaches `#platform`.
import { platform } from '#platform';
import { fetchBytes } from './fetch-bytes.js';

/** A file to load: a path (Node), a URL or URL string (http:, https:, file:, blob:, data:), or its bytes. */
export type FileSource = string | URL | Uint8Array | ArrayBuffer;

/** What is fetched the same way everywhere; the platform reads the rest (paths, file: URLs). */
const NETWORK = /^(https?|blob|data):/i;

/** Name used in error messages for a source. */
export function sourceName(src: FileSource, fallback: string): string {
  if (typeof src === 'string') return src;
  if (src instanceof URL) return src.href;
  return fallback;
}

/** Reads a source as UTF-8 text (fatal on invalid UTF-8: vocabulary files must be valid). */
export async function readText(src: FileSource, fallback: string): Promise<string> {
  const name = sourceName(src, fallback);
  let bytes: Uint8Array;
  try {
    bytes = await readBytes(src);
  } catch (e) {
    throw new Error(`${name}: cannot read: ${(e as Error).message}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${name}: not valid UTF-8`);
  }
}

/** A source's bytes, as they are. */
export async function readBytes(src: FileSource): Promise<Uint8Array> {
  if (src instanceof Uint8Array) return src;
  if (src instanceof ArrayBuffer) return new Uint8Array(src);
  const href = src instanceof URL ? src.href : src;
  if (NETWORK.test(href)) return fetchBytes(new URL(href));
  return platform.readLocal(/^file:/i.test(href) ? new URL(href) : src);
}
