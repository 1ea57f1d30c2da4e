// A PATH with every command of this one but the compilers and build tools, so an install that would build from
// source fails instead of quietly compiling.
import { existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

/** What a source build would run: C/C++ compilers, CMake, make, CUDA's compiler. */
export const HIDDEN = ['cc', 'c++', 'gcc', 'g++', 'clang', 'clang++', 'cmake', 'make', 'nvcc', 'ld', 'node-gyp'];

const hidden = (name: string) =>
  HIDDEN.includes(name) || /^(gcc|g\+\+|cc|c\+\+|clang)(-\d+)?$|^x86_64-linux-gnu-/.test(name);

/** Fills `dir` with links to the commands on `path` (first one of a name wins, as a shell picks) except HIDDEN. */
export function pathWithoutCompilers(dir: string, path = process.env.PATH ?? ''): string {
  mkdirSync(dir, { recursive: true });
  const seen = new Set<string>();
  // node first: npm's scripts and npx find the node running this test
  for (const folder of [dirname(process.execPath), ...path.split(delimiter)]) {
    if (!folder || !existsSync(folder)) continue;
    for (const name of readdirSync(folder)) {
      if (seen.has(name) || hidden(name)) continue;
      seen.add(name);
      symlinkSync(join(folder, name), join(dir, name));
    }
  }
  return dir;
}
