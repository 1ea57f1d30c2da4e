// Reading corpora: files and folders of .txt / .jsonl (optionally .gz) into documents, counting what cannot be used.
import { isUtf8 } from 'node:buffer';
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { hasReplacement, isBlank, splitOnBlankLines } from './utf8-text.js';

export interface InputFile {
  path: string;
  kind: 'txt' | 'jsonl';
  gzip: boolean;
  /** Size on disk (compressed size for .gz): the unit of progress. */
  bytes: number;
}

const KINDS = /\.(txt|jsonl)(\.gz)?$/i;

/** Files named directly must be .txt/.jsonl(.gz); folders are walked (sorted, so runs are reproducible). */
export function listInputs(paths: readonly string[]): InputFile[] {
  const out: InputFile[] = [];
  const add = (path: string, named: boolean) => {
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st) throw new Error(`${path}: no such file or folder`);
    if (st.isDirectory()) {
      for (const e of readdirSync(path).sort()) add(join(path, e), false);
      return;
    }
    const m = KINDS.exec(path);
    if (!m) {
      if (named) throw new Error(`${path}: expected a .txt or .jsonl file (optionally .gz), or a folder of them`);
      return;
    }
    out.push({
      path,
      kind: (m[1] as string).toLowerCase() as 'txt' | 'jsonl',
      gzip: m[2] !== undefined,
      bytes: st.size,
    });
  };
  for (const p of paths) add(p, true);
  return out;
}

export interface FileDocuments {
  /** Each document's UTF-8 bytes (views into the file's buffer where possible). */
  docs: Uint8Array[];
  /** Documents containing U+FFFD in a file that is not valid UTF-8 (their bad bytes were replaced). */
  invalidUtf8: number;
  /** Documents that were empty or whitespace only (not in `docs`). */
  empty: number;
  /** Malformed .jsonl lines skipped (only with skipBadLines). */
  badLines: number;
  /** UTF-8 bytes read (after gunzip). */
  textBytes: number;
}

export interface ReadOptions {
  /** Each .txt file is one document (else documents are separated by blank lines). */
  oneDocPerFile?: boolean;
  /** Count and skip malformed .jsonl lines instead of stopping with an error naming file:line. */
  skipBadLines?: boolean;
}

/** A whole file, read into memory from `alloc` (which may hand out reused memory). */
function readInto(path: string, alloc: (bytes: number) => Uint8Array): Buffer {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const view = alloc(size);
    let at = 0;
    while (at < size) {
      const n = readSync(fd, view, at, size - at, at);
      if (n === 0) throw new Error(`${path}: file shrank while being read (${at} of ${size} bytes)`);
      at += n;
    }
    return Buffer.from(view.buffer, view.byteOffset, size);
  } finally {
    closeSync(fd);
  }
}

/**
 * A file's documents as UTF-8 bytes, the file read into memory from `alloc`. A valid UTF-8 .txt file is never
 * decoded: documents are found and trimmed on its bytes; a file with invalid bytes is decoded once (bad bytes become
 * U+FFFD) and re-encoded, then treated the same.
 */
export function readDocuments(
  file: InputFile,
  options: ReadOptions = {},
  alloc: (bytes: number) => Uint8Array = (n) => new Uint8Array(n),
): FileDocuments {
  let bytes = file.gzip ? readFileSync(file.path) : readInto(file.path, alloc);
  if (file.gzip) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new Error(`${file.path}: not valid gzip (${(e as Error).message})`);
    }
  }
  const out: FileDocuments = { docs: [], invalidUtf8: 0, empty: 0, badLines: 0, textBytes: bytes.length };
  // the whole-file check is one fast pass; only a bad file pays for decoding and the per-document search below
  const valid = isUtf8(bytes);
  const keep = (doc: Uint8Array) => {
    if (isBlank(doc)) {
      out.empty++;
      return;
    }
    if (!valid && hasReplacement(doc)) out.invalidUtf8++;
    out.docs.push(doc);
  };
  if (file.kind === 'txt') {
    const text = valid ? bytes : Buffer.from(bytes.toString('utf8'), 'utf8');
    if (options.oneDocPerFile) keep(text);
    else for (const doc of splitOnBlankLines(text)) keep(doc);
    // a file with nothing in it at all splits into one empty document, counted above
    return out;
  }
  let line = 0;
  for (const raw of bytes.toString('utf8').split('\n')) {
    line++;
    if (raw.trim() === '') continue;
    const problem = jsonlProblem(raw);
    if (typeof problem === 'string') {
      if (options.skipBadLines) {
        out.badLines++;
        continue;
      }
      throw new Error(`${file.path}:${line}: ${problem} (use --skip-bad-lines to count and skip such lines)`);
    }
    keep(Buffer.from(problem.text, 'utf8'));
  }
  return out;
}

/** The line's record, or what is wrong with it. */
function jsonlProblem(raw: string): { text: string } | string {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch (e) {
    return `not valid JSON (${(e as Error).message})`;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'expected a JSON object with a "text" field';
  const t = (v as { text?: unknown }).text;
  if (typeof t !== 'string') return `"text" must be a string, got ${t === undefined ? 'no "text" field' : typeof t}`;
  return { text: t };
}
