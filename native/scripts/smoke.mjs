// `node scripts/smoke.mjs`: loads @robusta/native from dist/ (the addon from $ROBUSTA_NATIVE_BUILD_DIR or build/), runs
// a small matMul on the 'robusta' backend and compares it with a float64 reference; prints one JSON line (the host as
// Node sees it, capabilities(), the worst error) and exits 1 past tolerance. src/cross-arm64.test.ts runs it in an
// arm64 Node under qemu-aarch64 against the cross build; any Node that runs dist/ can run it.
import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_NAME, capabilities } from '../dist/index.js';

// M x K times K x N; sizes that are no multiple of the generic kernel's 4 x 16 tile, and enough depth to accumulate
const [M, K, N] = [37, 129, 23];
let seed = 12345;
function random() {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return (seed / 2 ** 32) * 2 - 1;
}
const a = Float32Array.from({ length: M * K }, random);
const b = Float32Array.from({ length: K * N }, random);

await tf.setBackend(BACKEND_NAME);
const c = await tf.matMul(tf.tensor2d(a, [M, K]), tf.tensor2d(b, [K, N])).data();

let worst = 0;
for (let i = 0; i < M; i++)
  for (let j = 0; j < N; j++) {
    let ref = 0;
    for (let k = 0; k < K; k++) ref += a[i * K + k] * b[k * N + j];
    worst = Math.max(worst, Math.abs(c[i * N + j] - ref) / Math.max(1, Math.abs(ref)));
  }

// fp32 accumulation over K = 129 terms of magnitude <= 1: errors of a few 1e-6
const TOLERANCE = 1e-4;
const report = {
  arch: process.arch,
  node: process.version,
  backend: tf.getBackend(),
  capabilities: capabilities(),
  shape: [M, K, N],
  maxRelError: worst,
  ok: tf.getBackend() === BACKEND_NAME && worst <= TOLERANCE,
};
console.log(JSON.stringify(report));
process.exit(report.ok ? 0 : 1);
