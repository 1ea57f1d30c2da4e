// Runs tfjs-core's own jasmine op tests against the 'robusta' backend and writes a JSON summary: the conformance bar.
// Usage (in native/): node --import tsx test/conformance/run.ts [--backend robusta|robusta-cuda] [--out file.json]
//   [--grep text] [--files text] [--dist] [--verbose]
import { readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire, register } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type * as TfCore from '@tensorflow/tfjs-core';
import type * as JasmineUtil from '@tensorflow/tfjs-core/dist/jasmine_util.js';
import { cudaExclusions } from '../../src/cuda-backend/exclusions.js';
import { type Classified, classify, type SpecOutcome, summarize } from './classify.js';
import { exclusions as hostExclusions } from './exclusions.js';
import { envMarker, BACKEND as HOST_BACKEND, shortName as shortNameFor, skippedFiles } from './names.js';

/** The small part of the `jasmine` runner (no @types here) this file uses. */
interface JasmineRunner {
  exitOnCompletion: boolean;
  env: { configure(options: Record<string, unknown>): void };
  clearReporters(): void;
  addReporter(reporter: Record<string, (result: never) => void>): void;
  execute(files: string[]): Promise<{ overallStatus: string }>;
}
interface SpecResult {
  fullName: string;
  status: 'passed' | 'failed' | 'pending' | 'excluded';
  failedExpectations: { message: string; stack?: string }[];
  duration: number | null;
}

const { values: args } = parseArgs({
  options: {
    out: { type: 'string', default: 'build/conformance/summary.json' },
    grep: { type: 'string' },
    files: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    dist: { type: 'boolean', default: false },
    backend: { type: 'string', default: HOST_BACKEND },
  },
});

/** The backend under test: 'robusta' (host, default) or 'robusta-cuda' (device, registered only with a usable GPU). */
const BACKEND = args.backend as string;
const ENV_MARKER = envMarker(BACKEND);
const shortName = (fullName: string): string => shortNameFor(fullName, BACKEND);
const exclusions = BACKEND === HOST_BACKEND ? hostExclusions : cudaExclusions;

const started = Date.now();
const require = createRequire(import.meta.url);
const tfjsRoot = dirname(require.resolve('@tensorflow/tfjs-core/package.json'));
const distDir = join(tfjsRoot, 'dist');
const tfjsVersion = (require('@tensorflow/tfjs-core/package.json') as { version: string }).version;

// tfjs-core's dist/ is ESM with extensionless relative imports; Node needs the hook to load it.
register(new URL('./resolve-hook.mjs', import.meta.url));
// jasmine_util.js calls require() from inside an ES module, once for 'jasmine-core/lib/jasmine-core/jasmine.js' to
// build a private jasmine whose only use is setting DEFAULT_TIMEOUT_INTERVAL (we set it on the running jasmine
// below). jasmine-core 7 neither exports that subpath nor its old `core()` API, so hand it a stand-in.
const tfjsRequire = createRequire(join(tfjsRoot, 'package.json'));
const requireForDist = (id: string): unknown =>
  id === 'jasmine-core/lib/jasmine-core/jasmine.js' ? { core: () => ({}) } : tfjsRequire(id);
(globalThis as { require?: unknown }).require = Object.assign(requireForDist, { resolve: tfjsRequire.resolve });

// The test files import dist/index.js; load that instance first so its engine owns the globals.
const fromDist = (path: string) => import(pathToFileURL(join(distDir, path)).href);
const tf = (await fromDist('index.js')) as typeof TfCore;
await fromDist('register_all_gradients.js');
await fromDist('public/chained_ops/register_all_chained_ops.js');

// Our backend imports '@tensorflow/tfjs-core' (the package's CJS main, another module instance). tfjs keeps the
// engine, the kernel registry and the backend registry in globals, so the registration is visible here; if some
// future tfjs stops sharing them, register our kernels into the dist instance directly. By default the sources are
// tested (tsx runs them, as vitest does for the unit tests); --dist tests the built package instead.
const backendEntry = args.dist ? '../../dist/index.js' : '../../src/index.ts';
const robusta = (await import(new URL(backendEntry, import.meta.url).href)) as typeof import('../../src/index.js');
if (BACKEND === HOST_BACKEND) {
  if (tf.findBackendFactory(BACKEND) == null) tf.registerBackend(BACKEND, () => new robusta.RobustaBackend(), 3);
  for (const config of robusta.kernelConfigs) {
    if (tf.getKernel(config.kernelName, BACKEND) == null) tf.registerKernel(config);
  }
} else if (tf.findBackendFactory(BACKEND) == null) {
  const why = BACKEND === 'robusta-cuda' ? `: ${JSON.stringify(robusta.cudaBackendStatus())}` : '';
  throw new Error(`conformance: backend '${BACKEND}' is not registered${why}`);
}
const kernels = tf
  .getKernelsForBackend(BACKEND)
  .map((k) => k.kernelName)
  .sort();
if (kernels.length === 0) throw new Error(`conformance: no kernels registered for backend '${BACKEND}'`);
// Our own kernels (fused ops) have no tfjs-core tests; their tests live beside them in src/kernels/.
const tfjsKernelNames = new Set(Object.values(await fromDist('kernel_names.js')).filter((v) => typeof v === 'string'));
const ownKernels = kernels.filter((k) => !tfjsKernelNames.has(k));

// Record which of our kernels each spec runs (the registry hands out the stored config, so wrapping it is seen).
let kernelsRun = new Set<string>();
// ...and which it asked for in vain: the engine looks every kernel up in the global registry map before running it,
// so a miss there is a "not registered" error, even one a test swallowed (`expect(f).toThrow()` passing by luck).
let kernelsMissed = new Set<string>();
const registryMap = (globalThis as unknown as { _tfGlobals: Map<string, Map<string, unknown>> })._tfGlobals.get(
  'kernelRegistry',
);
if (registryMap == null) throw new Error("conformance: tfjs's global kernel registry was not found");
// Not misses: tfjs's fromPixels/draw probe for an optional kernel and fall back to JS, and engine_test asks for a
// made-up kernel name on purpose.
const probedOptionally = new Set(['FromPixels', 'Draw']);
const keyPrefix = `${BACKEND}_`;
registryMap.get = function get(key: string) {
  const found = Map.prototype.get.call(this, key);
  const name = key.slice(keyPrefix.length);
  if (found == null && key.startsWith(keyPrefix) && tfjsKernelNames.has(name) && !probedOptionally.has(name)) {
    kernelsMissed.add(name);
  }
  return found;
};
for (const name of kernels) {
  const config = tf.getKernel(name, BACKEND) as TfCore.KernelConfig;
  const inner = config.kernelFunc;
  config.kernelFunc = (params) => {
    kernelsRun.add(name);
    return inner(params);
  };
}

const Jasmine = require('jasmine') as new (options: Record<string, unknown>) => JasmineRunner;
const runner = new Jasmine({ projectBaseDir: distDir });
runner.exitOnCompletion = false;
const jasmineGlobal = (globalThis as unknown as { jasmine: { DEFAULT_TIMEOUT_INTERVAL: number } }).jasmine;
jasmineGlobal.DEFAULT_TIMEOUT_INTERVAL = 20_000;

const jasmineUtil = (await fromDist('jasmine_util.js')) as typeof JasmineUtil;
jasmineUtil.setTestEnvs([{ name: BACKEND, backendName: BACKEND, isDataSync: true }]);

const skipped = exclusions.filter((e) => e.skip);
runner.env.configure({
  random: false,
  // tfjs's suites reuse names across files ('div' in binary_ops_test and div_test), which jasmine 7 forbids by default
  forbidDuplicateNames: false,
  // Only suites that describeWithFlags instantiated for our env test a backend; the rest (util, io, ...) are
  // backend-agnostic unit tests of tfjs itself. Entries marked `skip` (hangs, process-level side effects) never run.
  specFilter: (spec: { getFullName(): string }) => {
    const full = spec.getFullName();
    if (!full.includes(ENV_MARKER)) return false;
    const name = shortName(full);
    if (args.grep != null && !name.includes(args.grep)) return false;
    return !skipped.some((e) => e.test != null && name.includes(e.test));
  },
});

const outcomes: SpecOutcome[] = [];
runner.clearReporters();
runner.addReporter({
  specStarted: () => {
    kernelsRun = new Set();
    kernelsMissed = new Set();
  },
  specDone: (result: SpecResult) => {
    if (result.status !== 'passed' && result.status !== 'failed') return;
    const outcome: SpecOutcome = {
      name: shortName(result.fullName),
      passed: result.status === 'passed',
      messages: result.failedExpectations.map((f) => f.message),
      ms: result.duration ?? 0,
      kernels: [...kernelsRun].sort(),
      missed: [...kernelsMissed].sort(),
    };
    outcomes.push(outcome);
    if (args.verbose && !outcome.passed) console.log(`FAIL ${outcome.name}\n  ${outcome.messages.join('\n  ')}`);
  },
});

const testFiles = listTestFiles(distDir).filter(
  (f) => !skippedFiles.some((s) => f === s.file) && (args.files == null || f.includes(args.files)),
);
const done = await runner.execute(testFiles.map((f) => join(distDir, f)));

const classified: Classified[] = outcomes.map((o) => classify(o, exclusions));
const summary = summarize(classified, exclusions, {
  backend: BACKEND,
  tfjsCore: tfjsVersion,
  kernels,
  ownKernels,
  testFiles: testFiles.length,
  skippedByList: skipped.map((e) => ({ test: e.test ?? '', reason: e.reason })),
  jasmineStatus: done.overallStatus,
  ms: Date.now() - started,
  complete: args.grep == null && args.files == null,
});
await mkdir(dirname(args.out), { recursive: true });
await writeFile(args.out, `${JSON.stringify(summary, null, 2)}\n`);
const c = summary.counts;
console.log(
  `conformance '${BACKEND}' vs tfjs-core ${tfjsVersion}: ${c.passed} passed, ${c.unexpected} unexpected failures, ` +
    `${c.excluded} excluded, ${c.needsKernel} need unregistered kernels, ${c.staleExclusions} stale exclusions ` +
    `(${kernels.length} kernels, ${testFiles.length} files, ${(summary.ms / 1000).toFixed(1)} s) -> ${args.out}`,
);
for (const f of summary.unexpectedFailures) console.log(`UNEXPECTED ${f.name}\n  ${f.messages.join('\n  ')}`);
for (const e of summary.staleExclusions) console.log(`STALE exclusion (excuses no failing test): ${JSON.stringify(e)}`);
process.exitCode = c.unexpected === 0 && c.staleExclusions === 0 ? 0 : 1;

function listTestFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'miniprogram') walk(path);
      } else if (entry.name.endsWith('_test.js')) found.push(relative(root, path));
    }
  };
  walk(root);
  return found.sort();
}
