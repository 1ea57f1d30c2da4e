// `npm run test:no-openblas -w @robusta/native`: runs native's vitest suite again on the same build with
// ROBUSTA_OPENBLAS=off, which refuses OpenBLAS at run time, so the path of a machine without libopenblas0 is tested
// everywhere; there the OpenBLAS tests check its absence instead of skipping. Extra arguments go to vitest (e.g. a
// file filter). The JSON report lands in build/test-results.no-openblas.json, leaving test-results.json to the main run.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = ['vitest', 'run', ...process.argv.slice(2)];
console.log(`== ROBUSTA_OPENBLAS=off npx ${args.join(' ')}`);
const r = spawnSync('npx', args, { cwd: root, env: { ...process.env, ROBUSTA_OPENBLAS: 'off' }, stdio: 'inherit' });
if (r.status !== 0) {
  console.error(`test:no-openblas: vitest failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`})`);
  process.exit(r.status || 1);
}
