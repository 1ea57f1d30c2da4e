// float32 <-> float16 / bfloat16 bit conversions (round to nearest even), used by safetensors F16/BF16 I/O.
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE binary16 bits of `v`, rounded to nearest even; overflow gives infinity, NaN stays NaN. */
export function float32ToFloat16Bits(v: number): number {
  f32[0] = v;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 | (mant >>> 13) : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // subnormal half: value = m * 2^-24 with m = (1.mant) * 2^(exp - 126)
    const shift = 14 - e;
    if (shift > 24) return sign;
    const full = mant | 0x800000;
    let m = full >>> shift;
    const rem = full & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rem > halfway || (rem === halfway && m & 1)) m++;
    return sign | m;
  }
  let h = sign | (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  // a carry out of the mantissa correctly bumps the exponent (and reaches infinity at the top)
  if (rem > 0x1000 || (rem === 0x1000 && h & 1)) h++;
  return h;
}

export function float16BitsToFloat32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** bfloat16 bits of `v`: the top half of the float32, rounded to nearest even; NaN stays a quiet NaN. */
export function float32ToBFloat16Bits(v: number): number {
  f32[0] = v;
  const x = u32[0]!;
  if ((x & 0x7f800000) === 0x7f800000 && x & 0x7fffff) return (x >>> 16) | 0x40;
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}

export function bfloat16BitsToFloat32(h: number): number {
  u32[0] = (h & 0xffff) << 16;
  return f32[0]!;
}

let f16Table: Float32Array | undefined;

/** Decodes packed little-endian half values into `out` (a 256 KB table makes this one lookup per value). */
export function decodeFloat16(src: Uint16Array, out: Float32Array): void {
  if (!f16Table) {
    f16Table = new Float32Array(65536);
    for (let i = 0; i < 65536; i++) f16Table[i] = float16BitsToFloat32(i);
  }
  const t = f16Table;
  for (let i = 0; i < src.length; i++) out[i] = t[src[i]!]!;
}

export function decodeBFloat16(src: Uint16Array, out: Float32Array): void {
  const o32 = new Uint32Array(out.buffer, out.byteOffset, out.length);
  for (let i = 0; i < src.length; i++) o32[i] = src[i]! << 16;
}

export function encodeFloat16(src: Float32Array, out: Uint16Array): void {
  for (let i = 0; i < src.length; i++) out[i] = float32ToFloat16Bits(src[i]!);
}

export function encodeBFloat16(src: Float32Array, out: Uint16Array): void {
  for (let i = 0; i < src.length; i++) out[i] = float32ToBFloat16Bits(src[i]!);
}
