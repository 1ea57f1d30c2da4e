// Build step: copies the BPE core compiled in wasm/ into dist/, where the `./bpe.wasm` export points.
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const src = require.resolve('@robusta/bpe-wasm/bpe.wasm');
const dest = fileURLToPath(new URL('../dist/bpe.wasm', import.meta.url));
mkdirSync(fileURLToPath(new URL('../dist/', import.meta.url)), { recursive: true });
copyFileSync(src, dest);
