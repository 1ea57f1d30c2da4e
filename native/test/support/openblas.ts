// Test support: whether OpenBLAS should have loaded. ROBUSTA_OPENBLAS=off (as `npm run test:no-openblas` sets) refuses
// it, so the tests check its absence instead; otherwise a machine with libopenblas0 installed should have loaded it.
import { requirement } from '@robusta/test-kit';

/** True when ROBUSTA_OPENBLAS=off refuses OpenBLAS for this process (the addon reads the same variable). */
export function openblasOff(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^off$/i.test(env.ROBUSTA_OPENBLAS ?? '');
}

/**
 * Whether the OpenBLAS tests run: false under ROBUSTA_OPENBLAS=off (its own tests then check the absence), else the
 * test-kit requirement (skip with the reason locally, a failing test on CI where .ci/run installs it). `detail` is the
 * addon's reason when it did not load. Call at the top level of a test file or inside a describe.
 */
export function openblasRequirement(loaded: boolean, detail: string): boolean {
  if (openblasOff()) {
    console.log('OpenBLAS tests skipped: ROBUSTA_OPENBLAS=off, its absence is checked instead');
    return false;
  }
  return requirement('OpenBLAS', loaded ? null : `${detail} (apt-get install libopenblas0)`);
}
