// Reads vocabulary files from a path (Node), a URL (Node or browser) or bytes, for the Tokenizer's loaders.

/** A file to load: a path (Node), a URL or URL string (http:, https:, file:, blob:, data:), or its bytes. */
export type FileSource = string | URL | Uint8Array | ArrayBuffer;

const URL_LIKE = /^(https?|file|blob|data):/i;
const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

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

async function readBytes(src: FileSource): Promise<Uint8Array> {
  if (src instanceof Uint8Array) return src;
  if (src instanceof ArrayBuffer) return new Uint8Array(src);
  let url: URL | undefined;
  if (src instanceof URL) url = src;
  else if (URL_LIKE.test(src)) url = new URL(src);
  else if (!isNode) url = new URL(src, globalThis.location?.href);
  if (url === undefined || url.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    return readFile(url ?? (src as string));
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
  return new Uint8Array(await res.arrayBuffer());
}
