// `npm run test:no-openblas -w @robusta/native`: builds the addon without OpenBLAS into build-no-openblas/ and runs
// native's vitest suite against that build, so the path a machine without libopenblas-dev takes is tested everywhere.
// Extra arguments go to vitest (e.g. a file filter). The JSON report lands in build-no-openblas/test-results.json,
// leaving the main run's test-results.json to the main run.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'build-no-openblas');
// ROBUSTA_WITH_OPENBLAS=OFF reaches CMake (it wins over the cached option) and tells the tests that OpenBLAS is
// absent on purpose: they then check its absence instead of skipping or failing for want of it.
const env = { ...process.env, ROBUSTA_WITH_OPENBLAS: 'OFF', ROBUSTA_NATIVE_BUILD_DIR: out };

function run(command, args) {
  console.log(`== ${command} ${args.join(' ')}`);
  const r = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(
      `test:no-openblas: \`${command} ${args.join(' ')}\` failed (${r.error?.message ?? `exit ${r.status}`})`,
    );
    process.exit(r.status || 1);
  }
}

// configure every time: cmake-js build alone reuses whatever an earlier configure cached
run('npx', ['cmake-js', 'configure', '--out', out, '--log-level', 'warn', '--CDROBUSTA_WITH_OPENBLAS=OFF']);
run('npx', ['cmake-js', 'build', '--out', out, '--log-level', 'warn']);
const cache = readFileSync(join(out, 'CMakeCache.txt'), 'utf8');
if (
  /ROBUSTA_HAVE_OPENBLAS/.test(readFileSync(join(out, 'build.ninja'), 'utf8')) ||
  !/ROBUSTA_WITH_OPENBLAS:BOOL=OFF/.test(cache)
) {
  console.error(`test:no-openblas: ${out} was configured with OpenBLAS; expected ROBUSTA_WITH_OPENBLAS=OFF`);
  process.exit(1);
}
// vitest.config.ts writes this run's JSON report to build-no-openblas/test-results.json
run('npx', ['vitest', 'run', ...process.argv.slice(2)]);
