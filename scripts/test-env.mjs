// Prints what on this machine changes test outcomes (an Nx runtime cache input): a cached result made with or without
// OpenBLAS, OpenMPI, Chromium, the reference Python or a GPU must not be replayed where that differs. Cheap: no imports, no GPU
// calls. `node scripts/test-env.mjs build` prints only what changes the native addon's build (nvcc found or not: the
// CUDA kernels are embedded then; OpenBLAS is opened at run time and changes only test outcomes).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function sharedLibraries() {
  try {
    return execFileSync('/sbin/ldconfig', ['-p'], { encoding: 'utf8' });
  } catch {
    return '';
  }
}

/** Whether CMake's find_program(NVCC nvcc) would find nvcc: a file named nvcc on PATH. */
function nvccOnPath() {
  return (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(join(dir, 'nvcc')));
}

/** Versions of the packages installed in a Python environment, from its dist-info folder names (no import). */
function pythonPackages(sitePackagesGlobRoots) {
  const found = [];
  for (const dir of sitePackagesGlobRoots) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir))
      if (/^(torch|transformers|numpy)-[^-]+\.dist-info$/.test(name)) found.push(name.replace('.dist-info', ''));
  }
  return found.sort();
}

const libs = sharedLibraries();
const venvLib = join(root, '.venv', 'lib');
const venvSite = existsSync(venvLib) ? readdirSync(venvLib).map((py) => join(venvLib, py, 'site-packages')) : [];
const facts = {
  // the name the addon dlopen's first (libopenblas0); ROBUSTA_OPENBLAS, an env input, can point elsewhere or refuse it
  openblas: /libopenblas\.so\.0 \(/.test(libs),
  cuda: /libcuda\.so\.1/.test(libs) || existsSync('/dev/nvidia0'),
  // the MPI tests run ranks under mpirun and open libmpi.so.40 (ROBUSTA_MPI, an env input, can refuse it)
  mpi:
    /libmpi\.so\.40 \(/.test(libs) &&
    (process.env.PATH ?? '').split(':').some((d) => d && existsSync(join(d, 'mpirun'))),
  chromium: existsSync('/usr/bin/chromium'),
  venv: pythonPackages(venvSite),
  debianPython: pythonPackages(['/usr/lib/python3/dist-packages']),
  python: process.env.ROBUSTA_PYTHON ?? null,
};
console.log(JSON.stringify(process.argv[2] === 'build' ? { nvcc: nvccOnPath() } : facts));
