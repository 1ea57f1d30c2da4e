// Vitest settings for the cross-package tests (shared defaults live at the repo root): one folder per kind of test.
import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../vitest.shared.ts';

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      include: [
        'browser/**/*.test.ts',
        'bundlers/**/*.test.ts',
        'install/**/*.test.ts',
        'interop/**/*.test.ts',
        'packages/**/*.test.ts',
        'readmes/**/*.test.ts',
      ],
    },
  }),
);
