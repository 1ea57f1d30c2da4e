// The browser bundle of a minimal app that encodes one string: ours beside tiktoken (lite, its wasm) and
// gpt-tokenizer, each built the same way by esbuild (bundled, minified, ESM, for browsers), sizes raw and gzip -9.
// Code (JS + wasm) and vocabulary are counted apart: ours and tiktoken fetch GPT-2's files, gpt-tokenizer builds
// them into its JavaScript (its code alone is measured by leaving the ranks module out of a second build).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { writeFileAtomicSync } from '@robusta/cli-kit';
import { build, type Plugin } from 'esbuild';
import { gpt2Files } from '../test-support/corpora.js';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
/** A package's installed version (searched in node_modules upwards: some export no ./package.json). */
function version(name: string): string {
  for (const base of require.resolve.paths(name) ?? []) {
    const file = join(base, name, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  throw new Error(`${name} is not installed (run npm ci)`);
}

interface App {
  name: string;
  /** The app: one string encoded, vocabulary fetched at run time where the library allows it. */
  source: string;
  /** Vocabulary files the app fetches (gzipped each); none when the bundle holds the vocabulary. */
  vocabulary: string[];
  /** Leaves the vocabulary out of the bundle, to measure the code alone. */
  codeOnly?: Plugin;
}

const { encoderPath, bpePath } = gpt2Files();
const APPS: App[] = [
  {
    name: `@robusta/tokenizer ${version('@robusta/tokenizer')}`,
    source: `import { Tokenizer } from '@robusta/tokenizer';
const tok = await Tokenizer.fromFiles({ vocab: 'encoder.json', merges: 'vocab.bpe' });
console.log(tok.encode('Hello world'));`,
    vocabulary: [encoderPath, bpePath],
  },
  {
    name: `@robusta/tokenizer ${version('@robusta/tokenizer')}, tiktoken's gpt2.json`,
    source: `import { Tokenizer } from '@robusta/tokenizer';
const tok = await Tokenizer.fromTiktoken('gpt2.json');
console.log(tok.encode('Hello world'));`,
    vocabulary: [join(dirname(require.resolve('tiktoken/encoders/gpt2.json')), 'gpt2.json')],
  },
  {
    name: `tiktoken ${version('tiktoken')} (lite)`,
    source: `import { init, Tiktoken } from 'tiktoken/lite/init';
import wasm from 'tiktoken/lite/tiktoken_bg.wasm';
await init((imports) => WebAssembly.instantiateStreaming(fetch(wasm), imports));
const gpt2 = await (await fetch('gpt2.json')).json();
console.log(new Tiktoken(gpt2.bpe_ranks, gpt2.special_tokens, gpt2.pat_str).encode('Hello world'));`,
    vocabulary: [join(dirname(require.resolve('tiktoken/encoders/gpt2.json')), 'gpt2.json')],
  },
  {
    name: `gpt-tokenizer ${version('gpt-tokenizer')} (r50k_base)`,
    source: `import { encode } from 'gpt-tokenizer/encoding/r50k_base';
console.log(encode('Hello world'));`,
    vocabulary: [],
    codeOnly: {
      name: 'ranks-external',
      setup: (b) => b.onResolve({ filter: /bpeRanks\// }, (args) => ({ path: args.path, external: true })),
    },
  },
];

interface Sizes {
  js: number;
  jsGzip: number;
  wasm: number;
  wasmGzip: number;
}

const gzip = (bytes: Uint8Array) => gzipSync(bytes, { level: 9 }).length;

/** Bundles `source` as esbuild does for a browser app and sums the output by kind. */
async function bundle(source: string, plugins: Plugin[]): Promise<Sizes> {
  const out = mkdtempSync(join(tmpdir(), 'robusta-bundle-size-'));
  try {
    await build({
      stdin: { contents: source, resolveDir: PACKAGE, sourcefile: 'app.js' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      outdir: out,
      loader: { '.wasm': 'file' },
      plugins,
      // as an installed package is bundled: this folder's tsconfig.json (its `#platform` path for type checks) is
      // not in the tarball, so esbuild must not read it here either
      tsconfigRaw: '{}',
      logLevel: 'error',
    });
    const sizes: Sizes = { js: 0, jsGzip: 0, wasm: 0, wasmGzip: 0 };
    for (const f of readdirSync(out)) {
      const body = readFileSync(join(out, f));
      const kind = extname(f) === '.wasm' ? 'wasm' : 'js';
      sizes[kind] += body.length;
      sizes[`${kind}Gzip`] += gzip(body);
    }
    return sizes;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const rows: Record<string, unknown>[] = [];
console.log(
  '| app (one string encoded), esbuild ' +
    version('esbuild') +
    ' | JS | wasm | code, gzip | vocabulary, gzip | all, gzip |\n| --- | --- | --- | --- | --- | --- |',
);
for (const app of APPS) {
  const all = await bundle(app.source, []);
  const code = app.codeOnly ? await bundle(app.source, [app.codeOnly]) : all;
  const codeGzip = code.jsGzip + code.wasmGzip;
  const vocabularyGzip = app.codeOnly
    ? all.jsGzip + all.wasmGzip - codeGzip
    : app.vocabulary.reduce((s, f) => s + gzip(readFileSync(f)), 0);
  const total = codeGzip + vocabularyGzip;
  rows.push({ name: app.name, code, codeGzip, vocabularyGzip, total, vocabularyInBundle: app.codeOnly !== undefined });
  console.log(
    `| ${app.name} | ${kb(code.js)} (${kb(code.jsGzip)} gzip) | ${code.wasm ? `${kb(code.wasm)} (${kb(code.wasmGzip)} gzip)` : 'none (inside the JS)'} | **${kb(codeGzip)}** | ${kb(vocabularyGzip)}${app.codeOnly ? ' (in the JS)' : ' (fetched)'} | ${kb(total)} |`,
  );
}
writeFileAtomicSync(
  join(PACKAGE, 'bench-results', 'tokenizer-bundle-size.json'),
  `${JSON.stringify({ date: new Date().toISOString(), esbuild: version('esbuild'), rows }, null, 2)}\n`,
);

// what embedding the core as base64 costs against shipping bpe.wasm as a file
const wasmFile = readFileSync(join(PACKAGE, 'dist', 'bpe.wasm'));
const embedded = readFileSync(join(PACKAGE, 'dist', 'bpe-wasm.js'));
console.log(
  `\nthe core: bpe.wasm ${kb(wasmFile.length)} (${kb(gzip(wasmFile))} gzip); embedded as base64 in dist/bpe-wasm.js ` +
    `${kb(embedded.length)} (${kb(gzip(embedded))} gzip)`,
);
