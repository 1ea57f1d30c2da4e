// `npm test`: builds and tests every workspace package through Nx (cached), then prints one summary over all packages.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workspaces } from './workspaces.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const tested = workspaces(root).filter(({ pkg }) => pkg.scripts?.test);

// Stale reports must not count: each one is rewritten by its test run or restored from Nx's cache.
for (const { dir } of tested) rmSync(join(dir, 'test-results.json'), { force: true });

const nx = spawnSync('npx', ['nx', 'run-many', '-t', 'test', '--outputStyle=static', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NX_DAEMON: process.env.NX_DAEMON ?? 'false' },
});

let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
/** Files with skipped tests, so a reader sees what did not run (each test also printed why). */
const skippedIn = [];
for (const { dir, pkg } of tested) {
  const report = join(dir, 'test-results.json');
  if (!existsSync(report)) {
    missing.push(`${pkg.name} (${relative(root, dir)})`);
    continue;
  }
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  for (const file of r.testResults) {
    // a file that failed before any test ran (an import error) has no test results: count it as one failure
    if (file.status === 'failed' && file.assertionResults.length === 0) {
      failed += 1;
      console.log(`failed to load: ${relative(root, file.name)}: ${(file.message ?? '').split('\n')[0]}`);
    }
    const n = file.assertionResults.filter((a) => ['pending', 'skipped', 'todo'].includes(a.status)).length;
    if (n > 0) skippedIn.push(`${relative(root, file.name)} (${n})`);
  }
}
if (skippedIn.length > 0) console.log(`skipped tests in: ${skippedIn.join(', ')}`);
if (missing.length > 0) console.log(`no test report from: ${missing.join(', ')}`);
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
const status = nx.status ?? 1;
process.exit(status !== 0 ? status : failed > 0 || missing.length > 0 ? 1 : 0);
