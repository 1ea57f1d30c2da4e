// The split and resume hashes give the values existing shard folders were made with, and behave as hashes should.
import { describe, expect, it } from 'vitest';
import { DocumentFingerprint, splitOf, textHash } from './document-hash.js';

const enc = new TextEncoder();

describe('document hashes', () => {
  it('textHash is deterministic, seeded, and sees length, order and sampled bytes', () => {
    const doc = enc.encode('x'.repeat(10_000));
    expect(textHash(doc, 1)).toBe(textHash(doc.slice(), 1));
    expect(textHash(doc, 1)).not.toBe(textHash(doc, 2));
    expect(textHash(doc, 1)).not.toBe(textHash(doc.subarray(1), 1));
    expect(textHash(enc.encode('ab'), 0)).not.toBe(textHash(enc.encode('ba'), 0));
  });

  // the values below were computed before the hashes' constants were named and the code moved here: a change moves
  // documents between train and valid, and a re-run would redo every shard
  it('textHash gives the hashes existing shard folders were split and fingerprinted by', () => {
    expect(textHash(enc.encode(''), 0)).toBe(1572119809);
    expect(textHash(enc.encode('a'), 0)).toBe(2156595625);
    expect(textHash(enc.encode('a'), 7)).toBe(3183357600);
    expect(textHash(enc.encode('hello world'), 1)).toBe(1113590711);
    expect(textHash(enc.encode('x'.repeat(10_000)), 7)).toBe(768835247);
  });

  it('splitOf and the fingerprint give the splits and done-record fingerprints of existing shard folders', () => {
    const docs = ['one', 'two two', '', 'x'.repeat(5000)].map((d) => enc.encode(d));
    const hashes = docs.map((d) => textHash(d, 5));
    // salted, as fractions of 2^32: 0.602, 0.484, 0.496, 0.614
    expect(hashes.map((h) => splitOf(h, 0.5))).toEqual(['train', 'valid', 'valid', 'train']);
    expect(hashes.map((h) => splitOf(h, 0.49))).toEqual(['train', 'valid', 'train', 'train']);
    expect(hashes.map((h) => splitOf(h, 0))).toEqual(['train', 'train', 'train', 'train']);
    const fp = new DocumentFingerprint();
    docs.forEach((d, i) => {
      fp.add(hashes[i] as number, d.length);
    });
    expect(fp.toString()).toBe('a998d0fed20e48b9-4-5010');
    expect([fp.documents, fp.bytes]).toEqual([4, 5010]);
  });

  it('the fingerprint changes with the order of the same documents', () => {
    const a = new DocumentFingerprint();
    const b = new DocumentFingerprint();
    a.add(1, 10);
    a.add(2, 20);
    b.add(2, 20);
    b.add(1, 10);
    expect(a.toString()).not.toBe(b.toString());
  });
});
