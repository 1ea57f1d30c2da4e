// Names shared by the conformance runner and its vitest entry: the backends, the test-env marker, skipped files.

/** The host backend; the runner's --backend picks another (e.g. 'robusta-cuda'). */
export const BACKEND = 'robusta';

/** describeWithFlags names a suite `${name} ${env.name} ${JSON.stringify(env.flags ?? {})}`; our env has no flags. */
export function envMarker(backend: string = BACKEND): string {
  return ` ${backend} {} `;
}

/**
 * A spec's full jasmine name without the env marker: 'add robusta {} c + A' -> 'add c + A' (a describeWithFlags
 * nested in another adds a second marker: 'slice  accepts string robusta {} slices ...').
 */
export function shortName(fullName: string, backend: string = BACKEND): string {
  return fullName.replaceAll(envMarker(backend), ' ').replace(/ {2,}/g, ' ');
}

/**
 * Test files (paths under tfjs-core's dist/) that are not loaded at all, each with why. Every other `*_test.js`
 * file is loaded, and its describeWithFlags suites for our env run.
 */
export const skippedFiles: { file: string; reason: string }[] = [];
