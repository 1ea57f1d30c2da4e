// @robusta/tokenizer's built dist/ in headless Chromium gives Node's ids for real texts, on one thread and on workers.
import { requirement } from '@robusta/test-kit';
import { Tokenizer } from '@robusta/tokenizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gpt2Model, sotuDocuments, udhrDocuments, utf8Length } from '../../packages/tokenizer/test-support/corpora.js';
import { type Chromium, chromiumMissing, openPage, type PageGlobal, type Site, startSite } from './harness.js';

// absent: skipped with the reason printed; on CI (which installs Chromium) a failing test instead
const present = requirement('Chromium', chromiumMissing());

// ~400 KB: every 30th State of the Union address, every 40th UDHR translation (many scripts), and edge cases
function sampleTexts(): string[] {
  return [
    ...sotuDocuments().filter((_, i) => i % 30 === 0),
    ...udhrDocuments().filter((_, i) => i % 40 === 0),
    '',
    'emoji 👩‍👩‍👧, CJK 漢字, a lone surrogate \ud800 and <|endoftext|> as plain text',
  ];
}

/** The index and position of the first difference, or undefined when the id lists are equal. */
function firstDifference(got: number[][], want: Uint32Array[]): string | undefined {
  if (got.length !== want.length) return `${got.length} id lists, expected ${want.length}`;
  for (let i = 0; i < want.length; i++) {
    const g = got[i] as number[];
    const w = want[i] as Uint32Array;
    const at = g.findIndex((v, j) => v !== w[j]);
    if (at >= 0 || g.length !== w.length) {
      const j = at >= 0 ? at : Math.min(g.length, w.length);
      return `text ${i}: ids differ at ${j} (got ${g.slice(j, j + 5)}, expected ${Array.from(w.slice(j, j + 5))})`;
    }
  }
  return undefined;
}

describe.skipIf(!present)('@robusta/tokenizer in Chromium', () => {
  let site: Site;
  let chromium: Chromium;
  const texts = sampleTexts();
  let nodeIds: Uint32Array[];

  beforeAll(async () => {
    const tok = await Tokenizer.fromModel(gpt2Model());
    nodeIds = texts.map((t) => tok.encode(t));
    site = await startSite();
    chromium = await openPage(site);
    const path = site.addTexts('sample', texts);
    const loaded = await chromium.page.evaluate((url) => (globalThis as unknown as PageGlobal).robusta.load(url), path);
    expect(loaded, chromium.errors.join('\n')).toBe(texts.length);
    console.log(`browser test: ${texts.length} texts, ${(utf8Length(texts) / 1e3).toFixed(0)} KB`);
  }, 60_000);

  afterAll(async () => {
    await chromium?.browser.close();
    await site?.close();
  });

  it('encodes real texts to the ids Node gives (one thread)', async () => {
    const ids = await chromium.page.evaluate(() => (globalThis as unknown as PageGlobal).robusta.encodeAll());
    expect(firstDifference(ids, nodeIds)).toBeUndefined();
    // the tokenizer's dist names @robusta/cli-kit/errors; the page's import map led the browser to cli-kit's build
    expect(site.requested).toContain('/kit/errors.js');
    expect(chromium.errors).toEqual([]);
  });

  it('encodeBatch on 2 module Web Workers gives the same ids', async () => {
    const ids = await chromium.page.evaluate(() => (globalThis as unknown as PageGlobal).robusta.encodeBatchAll(2));
    expect(firstDifference(ids, nodeIds)).toBeUndefined();
    expect(site.requested).toContain('/pkg/worker.js');
    expect(chromium.errors).toEqual([]);
  });
});
