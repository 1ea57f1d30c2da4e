// Node module hooks for the conformance run, so plain Node can load tfjs-core's ESM dist/ and its test files:
// - dist/ imports relative paths without extensions ('./engine', '../index'): retry them as '.js' and '/index.js';
// - dist/ does `import * as seedrandom from 'seedrandom'` and calls seedrandom.alea, but Node cannot see the names a
//   CommonJS package assigns at run time: serve such packages through a generated ESM wrapper with named exports.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const RETRYABLE = new Set(['ERR_MODULE_NOT_FOUND', 'ERR_UNSUPPORTED_DIR_IMPORT']);
const WRAPPED_CJS = new Set(['seedrandom']);
const WRAP_MARK = 'robusta-cjs-wrapper';

export async function resolve(specifier, context, nextResolve) {
  if (WRAPPED_CJS.has(specifier)) {
    const resolved = await nextResolve(specifier, context);
    return { url: `${resolved.url}?${WRAP_MARK}`, format: 'module', shortCircuit: true };
  }
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const relative = specifier.startsWith('./') || specifier.startsWith('../');
    if (!relative || !RETRYABLE.has(error?.code)) throw error;
    for (const candidate of [`${specifier}.js`, `${specifier}/index.js`]) {
      try {
        return await nextResolve(candidate, context);
      } catch {
        // try the next form
      }
    }
    throw error;
  }
}

export async function load(url, context, nextLoad) {
  if (!url.endsWith(`?${WRAP_MARK}`)) return nextLoad(url, context);
  const path = fileURLToPath(url.slice(0, -WRAP_MARK.length - 1));
  const names = Object.keys(createRequire(path)(path)).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== 'default');
  const source = [
    "import { createRequire } from 'node:module';",
    `const cjs = createRequire(${JSON.stringify(path)})(${JSON.stringify(path)});`,
    'export default cjs;',
    ...names.map((n) => `export const ${n} = cjs[${JSON.stringify(n)}];`),
  ].join('\n');
  return { format: 'module', source, shortCircuit: true };
}
