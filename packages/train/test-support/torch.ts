// Runs a Python reference script of this folder (JSON in, JSON out) with the Python that imports torch.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findPython, requirement } from '@robusta/test-kit';

const { python, missing } = findPython(['torch']);

/**
 * Whether the PyTorch references can run. Call at the top level of a test file or inside a `describe`: without torch
 * the tests skip with the reason printed, except on CI (which installs it), where a failing test is registered.
 */
export function torchAvailable(): boolean {
  return requirement('PyTorch', missing);
}

/** Runs `test-support/<script>` on `input` and parses what it prints. */
export function runTorch<R>(script: string, input: unknown): R {
  if (!python) throw new Error(`runTorch(${script}): ${missing}`);
  const path = fileURLToPath(new URL(`./${script}`, import.meta.url));
  const py = spawnSync(python, [path], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (py.status !== 0) throw new Error(`${script} (${python}) failed: ${py.error?.message ?? py.stderr}`);
  return JSON.parse(py.stdout) as R;
}
