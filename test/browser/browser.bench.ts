// Single-thread encoding throughput of the built package in headless Chromium against Node, same texts, same run.
import { runBenchmarks } from '@robusta/bench-kit';
import { Tokenizer } from '@robusta/tokenizer';
import { gpt2Model, sotuDocuments, udhrDocuments, utf8Length } from '../../packages/tokenizer/test-support/corpora.js';
import { chromiumMissing, openPage, type PageGlobal, startSite } from './harness.js';

const missing = chromiumMissing();
if (missing) {
  console.log(`browser benchmark skipped: ${missing}`);
  process.exit(0);
}

const tok = await Tokenizer.fromModel(gpt2Model());
const site = await startSite();
const { browser, page, errors } = await openPage(site);

async function suite(title: string, name: string, docs: string[]) {
  const mb = utf8Length(docs) / 1e6;
  const count = await page.evaluate(
    (url) => (globalThis as unknown as PageGlobal).robusta.load(url),
    site.addTexts(name, docs),
  );
  if (count !== docs.length)
    throw new Error(`page loaded ${count} texts, expected ${docs.length}: ${errors.join('; ')}`);
  return {
    title: `${title}: ${docs.length} docs, ${mb.toFixed(1)} MB, 1 thread (the target: Chromium within 25% of Node)`,
    work: { amount: mb, unit: 'MB' },
    options: { warmup: 2, runs: 7 },
    ours: {
      name: `@robusta/tokenizer in Chromium ${browser.version()}`,
      run: () => page.evaluate(() => (globalThis as unknown as PageGlobal).robusta.encodeOnce()),
    },
    peers: [
      {
        name: `@robusta/tokenizer in Node ${process.version}`,
        run: () => {
          for (const d of docs) tok.encode(d);
        },
      },
    ],
  };
}

try {
  await runBenchmarks(
    [
      () => suite('English (State of the Union)', 'sotu', sotuDocuments()),
      () => suite('Unicode-heavy (UDHR)', 'udhr', udhrDocuments()),
    ],
    { name: 'tokenizer-browser' },
  );
} finally {
  await browser.close();
  await site.close();
}
