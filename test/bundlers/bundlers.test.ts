// The packed @robusta/tokenizer in apps built by Vite, webpack 5 and esbuild, in headless Chromium: Node's ids for
// multilingual text, with encode and with encodeBatch on Web Workers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requirement } from '@robusta/test-kit';
import { Tokenizer } from '@robusta/tokenizer';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gpt2Model } from '../../packages/tokenizer/test-support/corpora.js';
import { CHROMIUM, chromiumMissing, firstDifference, sampleTexts } from '../browser/harness.js';
import { type AppGlobal, BUNDLERS, makeApp, outputSizes, serve } from './harness.js';

// absent: skipped with the reason printed; on CI (which installs Chromium) a failing test instead
const present = requirement('Chromium', chromiumMissing());

describe.skipIf(!present)('the packed @robusta/tokenizer, bundled', () => {
  const texts = sampleTexts(60, 50); // ~290 KB
  let root: string;
  let app: string;
  let browser: Browser;
  let nodeIds: Uint32Array[];

  beforeAll(async () => {
    const t0 = performance.now();
    root = mkdtempSync(join(tmpdir(), 'robusta-bundlers-'));
    app = makeApp(root);
    const tok = await Tokenizer.fromModel(gpt2Model());
    nodeIds = texts.map((t) => tok.encode(t));
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--headless', '--disable-gpu'],
    });
    console.log(`packed, installed and Chromium started in ${((performance.now() - t0) / 1e3).toFixed(1)} s`);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  for (const bundler of BUNDLERS) {
    it(`${bundler.name}: encode and encodeBatch on 2 Web Workers give Node's ids`, async () => {
      const out = join(root, `out-${bundler.name.split(' ')[0]}`);
      const t0 = performance.now();
      await bundler.build(app, out);
      const built = performance.now() - t0;
      const sizes = outputSizes(out).filter((s) => !s.file.endsWith('.html'));
      const gzip = sizes.reduce((s, f) => s + f.gzip, 0);
      console.log(
        `${bundler.name}: built in ${(built / 1e3).toFixed(1)} s; ${sizes.map((s) => `${s.file} ${s.bytes} B`).join(', ')}; ${gzip} B gzip in all`,
      );
      // the core travels inside the JavaScript: no bundler had to emit or find a .wasm
      expect(sizes.filter((s) => s.file.endsWith('.wasm'))).toEqual([]);

      const site = await serve(out, texts, bundler.html);
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`console error: ${m.text()}`);
      });
      try {
        await page.goto(site.url);
        await page.waitForFunction(() => 'robusta' in globalThis, undefined, { timeout: 10_000 });
        const one = await page.evaluate(() => (globalThis as unknown as AppGlobal).robusta.encodeAll());
        expect(firstDifference(one, nodeIds), errors.join('\n')).toBeUndefined();
        const before = site.requested.length;
        const batch = await page.evaluate(
          (workerUrl) => (globalThis as unknown as AppGlobal).robusta.encodeBatchAll(2, workerUrl),
          bundler.workerUrl,
        );
        expect(firstDifference(batch, nodeIds), errors.join('\n')).toBeUndefined();
        // the workers ran the bundled worker script, fetched from the build's own files
        const fetched = site.requested.slice(before).filter((p) => p.endsWith('.js'));
        expect(fetched.length, `scripts fetched for the workers: ${fetched}`).toBeGreaterThan(0);
        expect(errors).toEqual([]);
      } finally {
        await page.close();
        await site.close();
      }
    }, 120_000);
  }
});
