// Vitest settings for @robusta/tokenizer (shared defaults live at the repo root). Tests run the sources: `#platform`
// is Node's, and the embedded core (generated at build time) comes from dist/.
import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

export default mergeConfig(
  shared,
  defineConfig({
    resolve: {
      alias: [
        { find: /^#platform$/, replacement: fileURLToPath(new URL('./src/platform/node.ts', import.meta.url)) },
        { find: /^\.\/bpe-wasm\.js$/, replacement: fileURLToPath(new URL('./dist/bpe-wasm.js', import.meta.url)) },
      ],
    },
  }),
);
