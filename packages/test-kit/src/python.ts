// Finds the Python that the reference tests run: the repo's .venv (PyTorch 2.13 CPU + transformers, made by
// scripts/python-env.sh and .ci/run), else Debian's python3; says why when the modules asked for are missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root (this file lives in packages/test-kit/{src,dist}/). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Where `python` is looked for, first match wins: $ROBUSTA_PYTHON, <repo>/.venv/bin/python, /usr/bin/python3. */
export function pythonCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.ROBUSTA_PYTHON) return [env.ROBUSTA_PYTHON];
  return [`${REPO_ROOT}.venv/bin/python`, '/usr/bin/python3'].filter((p) => existsSync(p));
}

export interface PythonProbe {
  /** The interpreter that imports every module asked for, or null. */
  python: string | null;
  /** Null when found, else what was tried and what failed. */
  missing: string | null;
}

const probes = new Map<string, PythonProbe>();

/** The first candidate Python that can import all of `modules` (probed once per process and module list). */
export function findPython(modules: readonly string[], env: NodeJS.ProcessEnv = process.env): PythonProbe {
  const key = `${env.ROBUSTA_PYTHON ?? ''}|${modules.join(',')}`;
  const known = probes.get(key);
  if (known) return known;
  const tried: string[] = [];
  let found: PythonProbe | undefined;
  for (const python of pythonCandidates(env)) {
    const r = spawnSync(python, ['-c', `import ${modules.join(', ')}`], { encoding: 'utf8' });
    if (r.status === 0) {
      found = { python, missing: null };
      break;
    }
    const last = (r.stderr || r.error?.message || '').trim().split('\n').at(-1);
    tried.push(`${python}: ${last}`);
  }
  found ??= {
    python: null,
    missing:
      `no Python imports ${modules.join(', ')} (${tried.length ? tried.join('; ') : 'no .venv and no /usr/bin/python3'}); ` +
      'make one with `bash scripts/python-env.sh` (PyTorch 2.13 CPU + transformers into .venv)',
  };
  probes.set(key, found);
  return found;
}
