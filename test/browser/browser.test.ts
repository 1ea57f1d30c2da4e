// @robusta/tokenizer's built dist/ in headless Chromium gives Node's ids for real texts, on one thread and on workers.
import { requirement } from '@robusta/test-kit';
import { Tokenizer } from '@robusta/tokenizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gpt2Model, utf8Length } from '../../packages/tokenizer/test-support/corpora.js';
import {
  type Chromium,
  chromiumMissing,
  firstDifference,
  openPage,
  type PageGlobal,
  type Site,
  sampleTexts,
  startSite,
} from './harness.js';

// absent: skipped with the reason printed; on CI (which installs Chromium) a failing test instead
const present = requirement('Chromium', chromiumMissing());

describe.skipIf(!present)('@robusta/tokenizer in Chromium', () => {
  let site: Site;
  let chromium: Chromium;
  const texts = sampleTexts(30, 40); // ~400 KB
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
