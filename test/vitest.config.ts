// Vitest settings for the cross-package tests (shared defaults live at the repo root; tests here sit in browser/).
import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../vitest.shared.ts';

export default mergeConfig(shared, defineConfig({ test: { include: ['browser/**/*.test.ts'] } }));
