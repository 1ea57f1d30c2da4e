// safetensors read/write from the public format: u64 LE header length, JSON header, one contiguous data buffer.
import { open } from 'node:fs/promises';
import { FormatError, writeFileAtomic } from '@robusta/cli-kit';
import { decodeBFloat16, decodeFloat16, encodeBFloat16, encodeFloat16 } from './half.js';

/** Every dtype the format defines (so headers with them parse); we convert only F32/F16/BF16 to float32. */
const DTYPE_BYTES: Record<string, number> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E4M3: 1,
  F8_E5M2: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  I64: 8,
  U64: 8,
  F64: 8,
};

export type FloatDtype = 'F32' | 'F16' | 'BF16';

/** Headers above this are refused before allocation: a hostile length must not make us allocate gigabytes. */
export const MAX_HEADER_BYTES = 100 * 1024 * 1024;

export interface TensorInfo {
  name: string;
  dtype: string;
  shape: number[];
  /** Byte range within the data buffer (which starts at `dataStart` in the file). */
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  tensors: Map<string, TensorInfo>;
  metadata: Record<string, string>;
  /** File offset of the data buffer: 8 + header length. */
  dataStart: number;
}

const bad = (source: string, msg: string) => new FormatError(source, `invalid safetensors: ${msg}`);

/** Reads the 8-byte little-endian header length and checks it against the bound and the file size. */
export function parseHeaderLength(prefix: Uint8Array, fileSize: number, source = 'safetensors'): number {
  if (fileSize < 8 || prefix.byteLength < 8)
    throw bad(source, `file is ${fileSize} bytes, shorter than the 8-byte header length`);
  const n = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (n === 0n) throw bad(source, 'header length is 0 (the header must be a JSON object)');
  if (n > BigInt(MAX_HEADER_BYTES)) throw bad(source, `header length ${n} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  if (n > BigInt(fileSize - 8))
    throw bad(source, `header length ${n} runs past the end of the file (${fileSize - 8} bytes after the prefix)`);
  return Number(n);
}

/**
 * Validates the JSON header against a file of `fileSize` bytes: known dtypes, shapes of non-negative integers,
 * byte lengths that match shape x dtype, offsets inside the data buffer, and a buffer covered exactly once (no
 * overlaps, no gaps, no trailing bytes), so every byte has one meaning.
 */
export function parseHeader(headerBytes: Uint8Array, fileSize: number, source = 'safetensors'): SafetensorsHeader {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
  } catch {
    throw bad(source, 'header is not valid UTF-8');
  }
  if (!text.startsWith('{')) throw bad(source, `header must start with '{', got ${JSON.stringify(text.slice(0, 8))}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw bad(source, `header is not valid JSON (${(e as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw bad(source, 'header must be a JSON object');
  // JSON.parse keeps the last of duplicate keys; another reader may keep the first, so refuse ambiguity
  const dup = firstDuplicateTopLevelKey(text);
  if (dup !== undefined) throw bad(source, `tensor '${dup}' appears twice in the header`);

  const dataStart = 8 + headerBytes.byteLength;
  const dataSize = fileSize - dataStart;
  const metadata: Record<string, string> = {};
  const tensors = new Map<string, TensorInfo>();
  for (const [name, entry] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
        throw bad(source, '__metadata__ must be an object of strings');
      for (const [k, v] of Object.entries(entry)) {
        if (typeof v !== 'string') throw bad(source, `__metadata__['${k}'] must be a string, got ${JSON.stringify(v)}`);
        metadata[k] = v;
      }
      continue;
    }
    tensors.set(name, parseEntry(name, entry, dataSize, source));
  }
  checkCoverage([...tensors.values()], dataSize, source);
  return { tensors, metadata, dataStart };
}

function parseEntry(name: string, entry: unknown, dataSize: number, source: string): TensorInfo {
  const t = `tensor '${name}'`;
  if (name.length === 0) throw bad(source, 'a tensor has an empty name');
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw bad(source, `${t} must be an object`);
  const e = entry as Record<string, unknown>;
  for (const k of Object.keys(e))
    if (k !== 'dtype' && k !== 'shape' && k !== 'data_offsets') throw bad(source, `${t} has unknown field '${k}'`);
  const { dtype, shape, data_offsets: offsets } = e;
  if (typeof dtype !== 'string') throw bad(source, `${t} dtype must be a string, got ${JSON.stringify(dtype)}`);
  const size = DTYPE_BYTES[dtype];
  if (size === undefined) throw bad(source, `${t} has unknown dtype '${dtype}'`);
  if (!Array.isArray(shape)) throw bad(source, `${t} shape must be an array, got ${JSON.stringify(shape)}`);
  let count = 1n;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || (d as number) < 0)
      throw bad(source, `${t} shape ${JSON.stringify(shape)} has a dimension that is not a non-negative integer`);
    count *= BigInt(d as number);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2)
    throw bad(source, `${t} data_offsets must be [begin, end], got ${JSON.stringify(offsets)}`);
  const [begin, end] = offsets as unknown[];
  if (!Number.isSafeInteger(begin) || !Number.isSafeInteger(end) || (begin as number) < 0 || (end as number) < 0)
    throw bad(source, `${t} data_offsets ${JSON.stringify(offsets)} must be non-negative integers`);
  const b = begin as number;
  const en = end as number;
  if (en < b) throw bad(source, `${t} data_offsets [${b}, ${en}] end before begin`);
  const want = count * BigInt(size);
  if (BigInt(en - b) !== want)
    throw bad(source, `${t} ${dtype}${JSON.stringify(shape)} needs ${want} bytes but data_offsets span ${en - b}`);
  if (en > dataSize) throw bad(source, `${t} data_offsets [${b}, ${en}] run past the ${dataSize}-byte data buffer`);
  return { name, dtype, shape: shape as number[], begin: b, end: en };
}

function checkCoverage(infos: TensorInfo[], dataSize: number, source: string): void {
  const sorted = [...infos].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let pos = 0;
  let prev: TensorInfo | undefined;
  for (const t of sorted) {
    if (t.begin < pos)
      throw bad(
        source,
        `tensor '${t.name}' [${t.begin}, ${t.end}] overlaps tensor '${prev?.name}' [${prev?.begin}, ${pos}]`,
      );
    if (t.begin > pos)
      throw bad(source, `gap of ${t.begin - pos} unreferenced bytes at data offset ${pos}, before tensor '${t.name}'`);
    pos = t.end;
    prev = t;
  }
  if (pos !== dataSize)
    throw bad(source, `${dataSize - pos} trailing bytes after the last tensor (data offset ${pos})`);
}

/** The first top-level key that occurs twice in a JSON object text (already known to parse), if any. */
function firstDuplicateTopLevelKey(text: string): string | undefined {
  const seen = new Set<string>();
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (depth === 1 && expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (seen.has(key)) return key;
        seen.add(key);
        expectKey = false;
      }
      i = j;
    } else if (c === '{' || c === '[') {
      depth++;
      if (depth === 1) expectKey = true;
    } else if (c === '}' || c === ']') depth--;
    else if (c === ',' && depth === 1) expectKey = true;
  }
  return undefined;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Converts one tensor's raw little-endian bytes to float32 (F32 bytes are adopted, not copied, when aligned). */
export function bytesToFloat32(info: TensorInfo, bytes: Uint8Array, source = 'safetensors'): Float32Array {
  const n = (info.end - info.begin) / (DTYPE_BYTES[info.dtype] ?? 1);
  if (info.dtype === 'F32') {
    if (littleEndian && bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, n);
    const out = new Float32Array(n);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < n; i++) out[i] = dv.getFloat32(i * 4, true);
    return out;
  }
  if (info.dtype === 'F16' || info.dtype === 'BF16') {
    const u16 = new Uint16Array(n);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < n; i++) u16[i] = dv.getUint16(i * 2, true);
    const out = new Float32Array(n);
    if (info.dtype === 'F16') decodeFloat16(u16, out);
    else decodeBFloat16(u16, out);
    return out;
  }
  throw new FormatError(source, `tensor '${info.name}' has dtype ${info.dtype}; only F32, F16 and BF16 load as floats`);
}

/**
 * A safetensors file opened for reading: the header is parsed up front, each tensor's byte range is read on
 * demand, so loading a checkpoint holds one tensor's bytes at a time rather than the whole file.
 */
export class SafetensorsReader {
  private constructor(
    readonly path: string,
    readonly header: SafetensorsHeader,
    private readonly fh: Awaited<ReturnType<typeof open>>,
  ) {}

  static async open(path: string): Promise<SafetensorsReader> {
    const fh = await open(path, 'r');
    try {
      const { size } = await fh.stat();
      const prefix = await readExactly(fh, path, 0, Math.min(8, size));
      const n = parseHeaderLength(prefix, size, path);
      const header = parseHeader(await readExactly(fh, path, 8, n), size, path);
      return new SafetensorsReader(path, header, fh);
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  get names(): string[] {
    return [...this.header.tensors.keys()];
  }

  info(name: string): TensorInfo {
    const t = this.header.tensors.get(name);
    if (!t) throw new FormatError(this.path, `no tensor '${name}'`);
    return t;
  }

  async readFloat32(name: string): Promise<Float32Array> {
    const t = this.info(name);
    const bytes = await readExactly(this.fh, this.path, this.header.dataStart + t.begin, t.end - t.begin);
    return bytesToFloat32(t, bytes, this.path);
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}

async function readExactly(
  fh: Awaited<ReturnType<typeof open>>,
  path: string,
  position: number,
  length: number,
): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(out, done, length - done, position + done);
    if (bytesRead === 0) throw new FormatError(path, `unexpected end of file at byte ${position + done}`);
    done += bytesRead;
  }
  return out;
}

/** Parses a whole safetensors file held in memory (browsers, tests); tensors are decoded lazily by name. */
export function decodeSafetensors(bytes: Uint8Array, source = 'safetensors') {
  const n = parseHeaderLength(bytes.subarray(0, 8), bytes.byteLength, source);
  const header = parseHeader(bytes.subarray(8, 8 + n), bytes.byteLength, source);
  return {
    header,
    read(name: string): Float32Array {
      const t = header.tensors.get(name);
      if (!t) throw new FormatError(source, `no tensor '${name}'`);
      // copy so the result is aligned and does not pin the caller's buffer
      const raw = bytes.slice(header.dataStart + t.begin, header.dataStart + t.end);
      return bytesToFloat32(t, raw, source);
    },
  };
}

export interface TensorToWrite {
  name: string;
  shape: number[];
  /** The values, or a function producing them, so a writer can fetch one tensor at a time (e.g. from a GPU). */
  data: Float32Array | (() => Float32Array | Promise<Float32Array>);
}

export interface WriteOptions {
  dtype?: FloatDtype;
  metadata?: Record<string, string>;
}

/** The header bytes (space-padded to 8 so the data buffer starts aligned) and the tensors in file order. */
function planFile(tensors: TensorToWrite[], options: WriteOptions): { header: Uint8Array; order: TensorToWrite[] } {
  const dtype = options.dtype ?? 'F32';
  const size = DTYPE_BYTES[dtype];
  if (size === undefined || !['F32', 'F16', 'BF16'].includes(dtype))
    throw new Error(`safetensors writer: dtype must be F32, F16 or BF16, got ${dtype}`);
  const json: Record<string, unknown> = {};
  if (options.metadata) {
    for (const [k, v] of Object.entries(options.metadata))
      if (typeof v !== 'string') throw new Error(`safetensors writer: metadata '${k}' must be a string`);
    json.__metadata__ = options.metadata;
  }
  const order = [...tensors].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let offset = 0;
  for (let i = 0; i < order.length; i++) {
    const t = order[i]!;
    if (t.name === '__metadata__' || t.name.length === 0)
      throw new Error(`safetensors writer: bad tensor name '${t.name}'`);
    if (i > 0 && order[i - 1]!.name === t.name) throw new Error(`safetensors writer: tensor '${t.name}' given twice`);
    const count = t.shape.reduce((a, b) => a * b, 1);
    json[t.name] = { dtype, shape: t.shape, data_offsets: [offset, offset + count * size] };
    offset += count * size;
  }
  let text = JSON.stringify(json);
  text += ' '.repeat((8 - ((new TextEncoder().encode(text).byteLength + 8) % 8)) % 8);
  return { header: new TextEncoder().encode(text), order };
}

async function* fileChunks(tensors: TensorToWrite[], options: WriteOptions): AsyncGenerator<Uint8Array> {
  const { header, order } = planFile(tensors, options);
  const prefix = new Uint8Array(8);
  new DataView(prefix.buffer).setBigUint64(0, BigInt(header.byteLength), true);
  yield prefix;
  yield header;
  for (const t of order) {
    const data = typeof t.data === 'function' ? await t.data() : t.data;
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (data.length !== count)
      throw new Error(
        `safetensors writer: tensor '${t.name}' has ${data.length} values but shape [${t.shape}] needs ${count}`,
      );
    yield encodeValues(data, options.dtype ?? 'F32');
  }
}

function encodeValues(data: Float32Array, dtype: FloatDtype): Uint8Array {
  if (dtype === 'F32') {
    if (littleEndian) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const out = new Uint8Array(data.length * 4);
    const dv = new DataView(out.buffer);
    for (let i = 0; i < data.length; i++) dv.setFloat32(i * 4, data[i]!, true);
    return out;
  }
  const u16 = new Uint16Array(data.length);
  if (dtype === 'F16') encodeFloat16(data, u16);
  else encodeBFloat16(data, u16);
  if (littleEndian) return new Uint8Array(u16.buffer);
  const out = new Uint8Array(u16.length * 2);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < u16.length; i++) dv.setUint16(i * 2, u16[i]!, true);
  return out;
}

/** Writes a safetensors file atomically (temp file, fsync, rename), one tensor in memory at a time. */
export async function writeSafetensors(
  path: string,
  tensors: TensorToWrite[],
  options: WriteOptions = {},
): Promise<void> {
  await writeFileAtomic(path, fileChunks(tensors, options));
}

/** The whole file as bytes (browsers, tests). */
export async function encodeSafetensors(tensors: TensorToWrite[], options: WriteOptions = {}): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const p of fileChunks(tensors, options)) parts.push(p.slice());
  const out = new Uint8Array(parts.reduce((a, p) => a + p.byteLength, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}
