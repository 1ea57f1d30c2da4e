// Vitest settings for @robusta/native (shared defaults live at the repo root). A run against another build
// (ROBUSTA_NATIVE_BUILD_DIR, as `npm run test:no-openblas` sets) writes its JSON report into that build folder, so
// the main run's test-results.json, which the root test summary reads, stays the main run's.
import { join, resolve } from 'node:path';
import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../vitest.shared.ts';

const config = mergeConfig(shared, defineConfig({}));
const buildDir = process.env.ROBUSTA_NATIVE_BUILD_DIR;
if (buildDir && config.test) {
  // replaced, not merged: mergeConfig would concatenate the reporter lists and write both reports
  config.test.reporters = ['default', ['json', { outputFile: join(resolve(buildDir), 'test-results.json') }]];
}

export default config;
