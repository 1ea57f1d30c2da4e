// Runs the float64 PyTorch reference (parity_reference.py) on JSON cases; says why when torch is not importable.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// Debian's python3 (where apt's python3-torch lives), not whatever python is first on PATH
const PYTHON = process.env.ROBUSTA_PARITY_PYTHON ?? '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./parity_reference.py', import.meta.url));

const probe = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
/** Why the reference cannot run here, or null when it can. */
export const torchMissing: string | null =
  probe.status === 0 ? null : `${PYTHON} cannot import torch/numpy (apt-get install python3-torch python3-numpy)`;

/** One result object per case, in order. */
export function runReference<R>(cases: unknown[]): R[] {
  const py = spawnSync(PYTHON, [SCRIPT], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (py.status !== 0) throw new Error(`parity_reference.py failed: ${py.stderr}`);
  return JSON.parse(py.stdout) as R[];
}
