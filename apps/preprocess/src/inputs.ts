// Reading corpora: files and folders of .txt / .jsonl (optionally .gz) into documents, counting what cannot be used.
import { isUtf8 } from 'node:buffer';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

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
  docs: string[];
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

/** A blank line (only spaces or tabs, any line ending) separates documents. */
const BLANK_LINES = /\r?\n(?:[ \t\f\v]*\r?\n)+/;

export function readDocuments(file: InputFile, options: ReadOptions = {}): FileDocuments {
  let bytes: Buffer = readFileSync(file.path);
  if (file.gzip) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new Error(`${file.path}: not valid gzip (${(e as Error).message})`);
    }
  }
  // the whole-file check is one fast pass; only a bad file pays for the per-document search below
  const valid = isUtf8(bytes);
  const text = bytes.toString('utf8');
  const out: FileDocuments = { docs: [], invalidUtf8: 0, empty: 0, badLines: 0, textBytes: bytes.length };
  const keep = (doc: string) => {
    if (doc.trim() === '') {
      out.empty++;
      return;
    }
    if (!valid && doc.includes('\uFFFD')) out.invalidUtf8++;
    out.docs.push(doc);
  };
  if (file.kind === 'txt') {
    if (options.oneDocPerFile) keep(text);
    else for (const doc of text.split(BLANK_LINES)) keep(doc.trim());
    // a file with nothing in it at all splits into one empty document, counted above
    return out;
  }
  let line = 0;
  for (const raw of text.split('\n')) {
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
    keep(problem.text);
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

/** UTF-16 units a document's hash looks at: all of a short one, an even sample of a long one. */
const HASH_SAMPLE = 512;

/**
 * A 32-bit hash of a document's text for the train/valid split and the resume fingerprint. Long documents are
 * sampled (length + 512 evenly spaced units) because hashing every character cost as much as 15% of tokenizing.
 */
export function textHash(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ Math.imul(seed | 0, 0x9e3779b1) ^ text.length) >>> 0;
  const step = Math.max(1, Math.floor(text.length / HASH_SAMPLE));
  for (let i = 0; i < text.length; i += step) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}
