// Optional requirements of tests: absent on a developer's machine, they skip with the reason printed; on CI, where
// .ci/run installs them, their absence is a failing test, so a broken install can never turn into a green run.
import { it } from 'vitest';

/** True when this process runs under CI (`CI=true`, as .ci/run sets it). */
export function onCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env.CI?.toLowerCase();
  return v !== undefined && v !== '' && v !== 'false' && v !== '0';
}

export interface RequirementOptions {
  /** False for what CI cannot have (a GPU): its absence skips on CI too. Default true. */
  ciInstalls?: boolean;
  env?: NodeJS.ProcessEnv;
  /** How the failing test is registered on CI (vitest's `it`; tests of this module pass a spy). */
  register?: (name: string, fn: () => void) => void;
  /** Where the reason is printed (console.log; tests of this module collect it). */
  print?: (line: string) => void;
}

/**
 * Whether the tests that need `what` can run. `missing` is null when it is present, else why not. When it is
 * missing the reason is printed; on CI (for what .ci/run installs) a failing test named after the requirement is
 * registered in the calling file, so call this at the top level of a test file or inside a `describe`.
 */
export function requirement(what: string, missing: string | null, options: RequirementOptions = {}): boolean {
  if (missing === null) return true;
  const ci = onCi(options.env) && options.ciInstalls !== false;
  (options.print ?? console.log)(`${what}: ${ci ? 'MISSING ON CI' : 'tests skipped'}: ${missing}`);
  if (ci)
    (options.register ?? it)(`${what} is present (.ci/run installs it)`, () => {
      throw new Error(`${what} is missing on CI: ${missing}`);
    });
  return false;
}
