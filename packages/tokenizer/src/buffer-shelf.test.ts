// The shelf hands out the best-fitting spare buffer, never one far larger than asked, and keeps a bounded number.
import { describe, expect, it } from 'vitest';
import { BufferShelf } from './buffer-shelf.js';

describe('BufferShelf', () => {
  it('gives the smallest buffer that fits, and none that is more than 4x (+64 KiB) the size asked', () => {
    const shelf = new BufferShelf(8);
    const [a, b, c] = [new ArrayBuffer(100_000), new ArrayBuffer(300_000), new ArrayBuffer(2_000_000)];
    for (const x of [c, a, b]) shelf.put(x);
    expect(shelf.take(250_000)).toBe(b);
    expect(shelf.take(450_000)).toBeUndefined(); // 2 MB > 4 x 450 KB + 64 KiB
    expect(shelf.take(500_000)).toBe(c); // 2 MB <= 4 x 500 KB + 64 KiB
    expect(shelf.take(1_000)).toBeUndefined(); // a (100 KB) is more than 4 x 1 KB + 64 KiB
    expect(shelf.take(90_000)).toBe(a);
    expect(shelf.take(1)).toBeUndefined();
  });

  it('ignores detached buffers and drops the largest past its capacity', () => {
    const shelf = new BufferShelf(2);
    const gone = new ArrayBuffer(10);
    structuredClone(gone, { transfer: [gone] });
    shelf.put(gone);
    expect(shelf.size).toBe(0);
    const sizes = [1_000, 50_000, 5_000];
    for (const n of sizes) shelf.put(new ArrayBuffer(n));
    expect(shelf.size).toBe(2);
    expect(shelf.take(40_000)).toBeUndefined(); // the 50 KB one was dropped
    expect(shelf.take(4_000)?.byteLength).toBe(5_000);
    expect(shelf.take(500)?.byteLength).toBe(1_000);
  });
});
