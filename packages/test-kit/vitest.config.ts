// Vitest settings for @robusta/test-kit (shared defaults live at the repo root).
import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

export default mergeConfig(shared, defineConfig({}));
