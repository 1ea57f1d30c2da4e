// Seeded random strings that stress the pre-tokenizer and BPE: every script class, contractions, odd whitespace.

/** Small deterministic PRNG (mulberry32), so a failing case can be reproduced from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABETS: readonly string[] = [
  'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ',
  '0123456789',
  "     \t\n\r'''",
  '.,;:!?-_()[]{}<>/\\"@#$%^&*+=~`|',
  'àéîõüçñßøåæœÀÉÎ',
  '\u0301\u0308\u0327\u0323', // combining marks
  '中文字符日本語한국어',
  'абвгдеёжзийклмнопрстуфхцчшщъыьэюя',
  'ابتثجحخدذرزسشصضطظعغفقكلمنهوي',
  '\u00a0\u0085\u1680\u2000\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\u000b\u000c', // White_Space and U+FEFF
  '²³¹¼½¾٠١٢३४५Ⅻ', // other numbers
  '😀🦀👍🏽👨‍👩‍👧🇫🇷', // emoji, skin tone, ZWJ, flags
];

const CONTRACTIONS = ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'x"];

/** A random string of up to maxLen UTF-16 units, with occasional lone surrogates. */
export function randomText(next: () => number, maxLen = 60): string {
  const len = Math.floor(next() * maxLen);
  let s = '';
  while (s.length < len) {
    const r = next();
    if (r < 0.05) s += CONTRACTIONS[Math.floor(next() * CONTRACTIONS.length)];
    else if (r < 0.06)
      s += String.fromCharCode(0xd800 + Math.floor(next() * 0x800)); // lone surrogate
    else if (r < 0.07)
      s += String.fromCodePoint(Math.floor(next() * 0x30000)); // anything, assigned or not
    else {
      const alphabet = [...(ALPHABETS[Math.floor(next() * ALPHABETS.length)] as string)];
      const run = 1 + Math.floor(next() * 6);
      for (let i = 0; i < run; i++) s += alphabet[Math.floor(next() * alphabet.length)];
    }
  }
  return s;
}

/** Random bytes, valid UTF-8 or not. */
export function randomBytes(next: () => number, maxLen = 64): Uint8Array {
  const out = new Uint8Array(Math.floor(next() * maxLen));
  for (let i = 0; i < out.length; i++) {
    // bias towards ASCII and UTF-8 lead/continuation bytes
    const r = next();
    out[i] = r < 0.5 ? 0x20 + Math.floor(next() * 0x5f) : Math.floor(next() * 256);
  }
  return out;
}
