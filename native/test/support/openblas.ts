// Test support: whether the build under test is meant to have OpenBLAS. A build made without it on purpose
// (ROBUSTA_WITH_OPENBLAS=OFF, as `npm run test:no-openblas` sets) must lack it; any other build should have it.
import { requirement } from '@robusta/test-kit';

/** True when the environment says OpenBLAS was left out of this build deliberately (OFF, 0, false, no). */
export function openblasOff(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^(off|0|false|no)$/i.test(env.ROBUSTA_WITH_OPENBLAS ?? '');
}

/**
 * Whether the OpenBLAS tests run: false in a build without OpenBLAS on purpose (its own tests then check the absence),
 * else the test-kit requirement (skip with the reason locally, a failing test on CI where .ci/run installs it).
 * Call at the top level of a test file or inside a describe.
 */
export function openblasRequirement(built: boolean): boolean {
  if (openblasOff()) {
    console.log('OpenBLAS tests skipped: ROBUSTA_WITH_OPENBLAS=OFF, this build is checked to lack it instead');
    return false;
  }
  return requirement(
    'OpenBLAS',
    built
      ? null
      : 'this build has no OpenBLAS (apt-get install libopenblas-dev, then npm run build -w @robusta/native)',
  );
}
