// Vitest settings for @robusta/native (shared defaults live at the repo root). A run that is not the main one (another
// build folder via ROBUSTA_NATIVE_BUILD_DIR, or ROBUSTA_OPENBLAS=off as `npm run test:no-openblas` sets) writes its
// JSON report into the build folder, so the main run's test-results.json, which the root test summary reads, stays
// the main run's.
import { join, resolve } from 'node:path';
import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../vitest.shared.ts';

const config = mergeConfig(shared, defineConfig({}));
const buildDir = process.env.ROBUSTA_NATIVE_BUILD_DIR;
const openblasOff = /^off$/i.test(process.env.ROBUSTA_OPENBLAS ?? '');
if ((buildDir || openblasOff) && config.test) {
  const report = join(
    resolve(buildDir ?? 'build'),
    openblasOff ? 'test-results.no-openblas.json' : 'test-results.json',
  );
  // replaced, not merged: mergeConfig would concatenate the reporter lists and write both reports
  config.test.reporters = ['default', ['json', { outputFile: report }]];
}

export default config;
