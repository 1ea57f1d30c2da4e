// A made-up fairseq dict.txt over GPT-2's ids, for tests of the dict option: real dict.txt files are not on npm.

/**
 * GPT-2's 50,257 ids ordered by a pseudo-count (as fairseq orders by frequency), then one madeupword, in dict.txt's
 * `<symbol> <count>` lines; `fairseqId` maps a GPT-2 id to the id fairseq gives it (4 + its line, after `<s>` `<pad>`
 * `</s>` `<unk>`), and `madeupId` is the madeupword's.
 */
export function madeUpDict(): { text: string; fairseqId: (gpt2Id: number) => number; madeupId: number } {
  const count = (id: number) => (Math.imul(id + 1, 2654435761) >>> 8) % 100000;
  const order = Array.from({ length: 50257 }, (_, i) => i).sort((a, b) => count(b) - count(a) || a - b);
  const line = new Map(order.map((g, i) => [g, i]));
  return {
    text: `${order.map((id) => `${id} ${count(id)}`).join('\n')}\nmadeupword0000 0\n`,
    fairseqId: (g) => 4 + (line.get(g) as number),
    madeupId: 4 + order.length,
  };
}
