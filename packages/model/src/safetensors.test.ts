// Tests for safetensors: round trips in F32/F16/BF16, rounding, atomic writes, and malformed files each rejected by name.
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormatError } from '@robusta/cli-kit';
import { describe, expect, it } from 'vitest';
import { bfloat16BitsToFloat32, float16BitsToFloat32, float32ToBFloat16Bits, float32ToFloat16Bits } from './half.js';
import { decodeSafetensors, encodeSafetensors, SafetensorsReader, writeSafetensors } from './safetensors.js';

/** A file from raw parts: header text (or object), data bytes, and an optional lying length prefix. */
function build(header: string | object, data: Uint8Array | number = 0, lengthOverride?: bigint): Uint8Array {
  const text = typeof header === 'string' ? header : JSON.stringify(header);
  const h =
    typeof header === 'string' && text.includes('\uFFFF')
      ? new Uint8Array([0x7b, 0xff, 0x7d])
      : new TextEncoder().encode(text);
  const d = typeof data === 'number' ? new Uint8Array(data) : data;
  const out = new Uint8Array(8 + h.byteLength + d.byteLength);
  new DataView(out.buffer).setBigUint64(0, lengthOverride ?? BigInt(h.byteLength), true);
  out.set(h, 8);
  out.set(d, 8 + h.byteLength);
  return out;
}

const f32 = (name: string, shape: number[], begin: number) => ({
  [name]: { dtype: 'F32', shape, data_offsets: [begin, begin + 4 * shape.reduce((a, b) => a * b, 1)] },
});

describe('float16 / bfloat16 conversion', () => {
  it('rounds to nearest even and keeps specials', () => {
    expect(float32ToFloat16Bits(1)).toBe(0x3c00);
    expect(float32ToFloat16Bits(65504)).toBe(0x7bff);
    expect(float32ToFloat16Bits(65520)).toBe(0x7c00); // halfway to the next binade rounds up to infinity
    expect(float32ToFloat16Bits(-0)).toBe(0x8000);
    expect(float32ToFloat16Bits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(float32ToFloat16Bits(2 ** -25)).toBe(0x0000); // tie to even: zero
    expect(float32ToFloat16Bits(3 * 2 ** -25)).toBe(0x0002); // tie to even: up
    expect(float32ToFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie, even mantissa stays
    expect(float32ToFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie, odd mantissa rounds up
    expect(Number.isNaN(float16BitsToFloat32(float32ToFloat16Bits(Number.NaN)))).toBe(true);
    expect(float16BitsToFloat32(float32ToFloat16Bits(-Infinity))).toBe(-Infinity);
    expect(float32ToBFloat16Bits(1 + 2 ** -8)).toBe(0x3f80); // tie, even
    expect(float32ToBFloat16Bits(1 + 3 * 2 ** -8)).toBe(0x3f82);
    expect(Number.isNaN(bfloat16BitsToFloat32(float32ToBFloat16Bits(Number.NaN)))).toBe(true);
  });

  it('picks the nearest representable value for random inputs (property test)', () => {
    let s = 12345;
    const rnd = () => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return (s / 2 ** 32 - 0.5) * 2 ** ((s % 40) - 20);
    };
    let checked = 0;
    for (let i = 0; i < 20000; i++) {
      const x = Math.fround(rnd());
      for (const [enc, dec] of [
        [float32ToFloat16Bits, float16BitsToFloat32],
        [float32ToBFloat16Bits, bfloat16BitsToFloat32],
      ] as const) {
        const h = enc(x);
        const y = dec(h);
        if (!Number.isFinite(y)) continue;
        // neither neighbour is strictly closer
        for (const n of [dec((h + 1) & 0xffff), dec((h - 1) & 0xffff)])
          if (Number.isFinite(n) && Math.sign(n) === Math.sign(y)) {
            expect(Math.abs(n - x)).toBeGreaterThanOrEqual(Math.abs(y - x));
            checked++;
          }
      }
    }
    // 78,596 of the 80,000 neighbours are finite and of the same sign: the skips above must stay rare
    expect(checked).toBeGreaterThan(75_000);
  });
});

describe('safetensors round trips', () => {
  const tensors = [
    { name: 'b', shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 1 / 3, 1e-6, 70000]) },
    { name: 'a', shape: [0], data: new Float32Array(0) },
    { name: 'scalar', shape: [], data: Float32Array.from([7]) },
  ];

  it('F32 is exact; the header is 8-aligned and carries metadata', async () => {
    const bytes = await encodeSafetensors(tensors, { metadata: { format: 'pt' } });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const f = decodeSafetensors(bytes);
    expect(f.header.metadata).toEqual({ format: 'pt' });
    expect([...f.read('b')]).toEqual([...tensors[0]!.data]);
    expect(f.read('a').length).toBe(0);
    expect(f.header.tensors.get('scalar')).toMatchObject({ shape: [], dtype: 'F32' });
  });

  it('F16 and BF16 store rounded values', async () => {
    for (const dtype of ['F16', 'BF16'] as const) {
      const f = decodeSafetensors(await encodeSafetensors(tensors, { dtype }));
      const got = f.read('b');
      const enc = dtype === 'F16' ? float32ToFloat16Bits : float32ToBFloat16Bits;
      const dec = dtype === 'F16' ? float16BitsToFloat32 : bfloat16BitsToFloat32;
      expect([...got]).toEqual([...tensors[0]!.data].map((x) => dec(enc(x))));
      expect(f.header.tensors.get('b')!.dtype).toBe(dtype);
    }
  });

  it('decode(encode(x)) == x for random tensor sets (property test)', async () => {
    let s = 99;
    const next = (n: number) => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s % n;
    };
    for (let trial = 0; trial < 50; trial++) {
      const ts = Array.from({ length: 1 + next(6) }, (_, i) => {
        const shape = Array.from({ length: next(4) }, () => next(5));
        const data = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (next(2000) - 1000) / 7);
        return { name: `t${i}.${next(1000)}`, shape, data };
      });
      const f = decodeSafetensors(await encodeSafetensors(ts, { metadata: { trial: String(trial) } }));
      expect(f.header.metadata.trial).toBe(String(trial));
      for (const t of ts) {
        expect(f.header.tensors.get(t.name)!.shape).toEqual(t.shape);
        expect([...f.read(t.name)]).toEqual([...t.data]);
      }
    }
  });

  it('writes through a temp file and reads tensor by tensor from disk', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'robusta-st-'));
    const path = join(dir, 'model.safetensors');
    await writeSafetensors(path, tensors);
    await writeSafetensors(path, [{ name: 'w', shape: [4], data: () => Float32Array.from([1, 2, 3, 4]) }]);
    expect(await readdir(dir)).toEqual(['model.safetensors']);
    const r = await SafetensorsReader.open(path);
    expect(r.names).toEqual(['w']);
    expect([...(await r.readFloat32('w'))]).toEqual([1, 2, 3, 4]);
    await expect(r.readFloat32('nope')).rejects.toThrow(/no tensor 'nope'/);
    await expect(r.readFloat32('nope')).rejects.toThrow(FormatError);
    await r.close();
    // a failing writer leaves the old file and no temp file
    await expect(writeSafetensors(path, [{ name: 'x', shape: [3], data: () => new Float32Array(2) }])).rejects.toThrow(
      /'x' has 2 values but shape \[3\] needs 3/,
    );
    expect(await readdir(dir)).toEqual(['model.safetensors']);
    expect((await readFile(path)).byteLength).toBeGreaterThan(16);
  });
});

describe('malformed safetensors are rejected with a specific message', () => {
  const ok = { ...f32('w', [2], 0) };
  const cases: [string, Uint8Array, RegExp][] = [
    ['shorter than the length prefix', new Uint8Array(5), /5 bytes, shorter than the 8-byte header length/],
    ['zero header length', build('{}', 0, 0n), /header length is 0/],
    ['header length over the bound', build(ok, 8, 2n ** 40n), /header length 1099511627776 exceeds/],
    ['header length past the end', build(ok, 8, 10_000n), /header length 10000 runs past the end of the file/],
    ['invalid UTF-8', build('{\uFFFF}'), /not valid UTF-8/],
    ['header not starting with {', build(' {}'), /must start with '\{'/],
    ['top-level array', build('[1, 2]'), /must start with '\{'/],
    ['truncated JSON', build('{"w": {"dtype": "F32"'), /not valid JSON/],
    [
      'duplicate tensor',
      build(
        '{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}',
        8,
      ),
      /tensor 'w' appears twice/,
    ],
    ['metadata not an object', build({ __metadata__: ['pt'] }), /__metadata__ must be an object of strings/],
    ['metadata value not a string', build({ __metadata__: { step: 5 } }), /__metadata__\['step'\] must be a string/],
    ['entry not an object', build({ w: [0, 4] }, 4), /tensor 'w' must be an object/],
    ['unknown entry field', build({ w: { ...ok.w, strides: [1] } }, 8), /tensor 'w' has unknown field 'strides'/],
    ['dtype missing', build({ w: { shape: [1], data_offsets: [0, 4] } }, 4), /tensor 'w' dtype must be a string/],
    [
      'unknown dtype',
      build({ w: { dtype: 'F31', shape: [1], data_offsets: [0, 4] } }, 4),
      /tensor 'w' has unknown dtype 'F31'/,
    ],
    [
      'shape not an array',
      build({ w: { dtype: 'F32', shape: 2, data_offsets: [0, 8] } }, 8),
      /tensor 'w' shape must be an array/,
    ],
    [
      'negative dimension',
      build({ w: { dtype: 'F32', shape: [-2], data_offsets: [0, 8] } }, 8),
      /tensor 'w' shape \[-2\]/,
    ],
    [
      'fractional dimension',
      build({ w: { dtype: 'F32', shape: [1.5], data_offsets: [0, 6] } }, 6),
      /tensor 'w' shape \[1.5\]/,
    ],
    [
      'offsets of wrong arity',
      build({ w: { dtype: 'F32', shape: [2], data_offsets: [0] } }, 8),
      /tensor 'w' data_offsets must be \[begin, end\]/,
    ],
    [
      'negative offset',
      build({ w: { dtype: 'F32', shape: [2], data_offsets: [-8, 0] } }, 8),
      /tensor 'w' data_offsets \[-8,0\] must be non-negative/,
    ],
    [
      'end before begin',
      build({ w: { dtype: 'F32', shape: [0], data_offsets: [8, 0] } }, 8),
      /tensor 'w' data_offsets \[8, 0\] end before begin/,
    ],
    [
      'shape x dtype mismatch',
      build({ w: { dtype: 'F16', shape: [2], data_offsets: [0, 8] } }, 8),
      /tensor 'w' F16\[2\] needs 4 bytes but data_offsets span 8/,
    ],
    [
      'overflowing shape',
      build({ w: { dtype: 'F32', shape: [2 ** 40, 2 ** 40], data_offsets: [0, 8] } }, 8),
      /tensor 'w' F32\[1099511627776,1099511627776\] needs 4835703278458516698824704 bytes/,
    ],
    [
      'offsets past the buffer',
      build(f32('w', [2], 4), 8),
      /tensor 'w' data_offsets \[4, 12\] run past the 8-byte data buffer/,
    ],
    [
      'overlapping tensors',
      build({ ...f32('a', [2], 0), ...f32('b', [2], 4) }, 12),
      /tensor 'b' \[4, 12\] overlaps tensor 'a' \[0, 8\]/,
    ],
    [
      'gap between tensors',
      build({ ...f32('a', [1], 0), ...f32('b', [1], 8) }, 12),
      /gap of 4 unreferenced bytes at data offset 4, before tensor 'b'/,
    ],
    ['gap at the start', build(f32('w', [1], 4), 8), /gap of 4 unreferenced bytes at data offset 0, before tensor 'w'/],
    ['trailing bytes', build(ok, 12), /4 trailing bytes after the last tensor/],
    [
      'empty tensor name',
      build({ '': { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, 4),
      /a tensor has an empty name/,
    ],
  ];
  for (const [what, bytes, msg] of cases)
    it(`rejects ${what} with a FormatError`, () => {
      const decode = () => decodeSafetensors(bytes, 'bad.safetensors');
      expect(decode).toThrow(msg);
      expect(decode).toThrow(FormatError);
    });

  it(`has at least 20 cases (${cases.length})`, () => expect(cases.length).toBeGreaterThanOrEqual(20));

  it('refuses to read integer tensors as floats, naming the tensor', () => {
    const f = decodeSafetensors(build({ ids: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, 8));
    expect(() => f.read('ids')).toThrow(/tensor 'ids' has dtype I64; only F32, F16 and BF16/);
  });

  it('checks the header length against the file on disk before allocating', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'robusta-st-'));
    const path = join(dir, 'bad.safetensors');
    await writeFile(path, build(ok, 8, 2n ** 62n));
    await expect(SafetensorsReader.open(path)).rejects.toThrow(
      /bad\.safetensors: invalid safetensors: header length \d+ exceeds/,
    );
    await expect(SafetensorsReader.open(path)).rejects.toThrow(FormatError);
    await writeFile(path, build(ok, 4));
    await expect(SafetensorsReader.open(path)).rejects.toThrow(/tensor 'w' data_offsets \[0, 8\] run past the 4-byte/);
  });
});
