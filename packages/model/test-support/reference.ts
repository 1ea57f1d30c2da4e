// Runs the float64 PyTorch reference (parity_reference.py) on JSON cases, with the Python that imports torch and numpy.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findPython, requirement } from '@robusta/test-kit';

const SCRIPT = fileURLToPath(new URL('./parity_reference.py', import.meta.url));

const { python, missing } = findPython(['torch', 'numpy']);

/**
 * Whether the PyTorch reference can run. Call at the top level of a test file or inside a `describe`: without torch
 * the tests skip with the reason printed, except on CI (which installs it), where a failing test is registered.
 */
export function torchAvailable(): boolean {
  return requirement('PyTorch', missing);
}

/** One result object per case, in order. */
export function runReference<R>(cases: unknown[]): R[] {
  if (!python) throw new Error(`runReference: ${missing}`);
  const t0 = performance.now();
  const py = spawnSync(python, [SCRIPT], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (py.status !== 0) throw new Error(`parity_reference.py (${python}) failed: ${py.error?.message ?? py.stderr}`);
  console.log(`PyTorch reference: ${cases.length} cases in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return JSON.parse(py.stdout) as R[];
}
