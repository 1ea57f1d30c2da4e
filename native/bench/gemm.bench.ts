// GEMM throughput on BERT-training shapes: our blocked kernel against OpenBLAS in the same run, and the bf16 path.
// Run: `npx tsx bench/gemm.bench.ts` (after `npm run build`); threads: ROBUSTA_NUM_THREADS / OPENBLAS_NUM_THREADS.
import { type Comparison, runBenchmarks } from '@robusta/bench-kit';
import { native, type Storage } from '../src/addon.js';
import { configureGemm, gemmInfo } from '../src/kernels/matmul.js';
import { GemmPrecision } from '../src/kernels/op_codes.js';

const info = gemmInfo();
configureGemm({ bf16Emulation: false });
const hasDpbf16 = gemmInfo().bf16 === 'avx512bf16';
configureGemm({ bf16Emulation: 'auto' });
console.log(
  `GEMM: micro-kernel ${info.isa}, OpenBLAS ${info.openblas ? 'loaded' : 'absent'} (${info.openblasDetail}), ` +
    `AVX512_BF16 ${hasDpbf16 ? 'present' : 'absent'}, ${native.capabilities().threads} threads`,
);

// [title, batch, M, K, N]: a [batch, M, K] @ b [batch, K, N]
const SHAPES: [string, number, number, number, number][] = [
  ['QKV/output projection 4096x768x768', 1, 4096, 768, 768],
  ['FFN up 4096x3072x768 (M x N x K)', 1, 4096, 768, 3072],
  ['FFN down 4096x768x3072 (M x N x K)', 1, 4096, 3072, 768],
  ['attention scores 96 x (128x64 @ 64x128)', 96, 128, 64, 128],
];

function filled(n: number, seed: number): Storage {
  const v = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    v[i] = (s >>> 8) / 16777216 - 0.5;
  }
  const st = native.alloc(n * 4);
  native.write(st, v);
  return st;
}

/** One comparison per shape, built lazily so only one shape's buffers are touched at a time. */
function comparisons(precision: 'fp32' | 'bf16'): (() => Comparison)[] {
  return SHAPES.map(([title, batch, M, K, N]) => (): Comparison => {
    const a = filled(batch * M * K, 1);
    const b = filled(batch * K * N, 2);
    const c = native.alloc(batch * M * N * 4);
    const as = batch > 1 ? [batch, M, K] : [M, K];
    const bs = batch > 1 ? [batch, K, N] : [K, N];
    const run =
      (impl: 'own' | 'openblas', p: GemmPrecision, emulate = true) =>
      () => {
        configureGemm({ impl, bf16Emulation: emulate });
        native.matMul(a, as, b, bs, false, false, c, p);
      };
    const openblas = {
      name: 'OpenBLAS fp32',
      run: run('openblas', GemmPrecision.F32),
      unavailable: () => (info.openblas ? undefined : `OpenBLAS is not loaded: ${info.openblasDetail}`),
    };
    return {
      title: `${title}, ${precision}`,
      work: { amount: (2 * batch * M * N * K) / 1e9, unit: 'GFLOP' },
      options: { warmup: 2, runs: 11, interleave: true },
      ours:
        precision === 'fp32'
          ? { name: 'robusta own fp32', run: run('own', GemmPrecision.F32) }
          : { name: 'robusta own bf16 (rounded fp32)', run: run('own', GemmPrecision.BF16, true) },
      peers:
        precision === 'fp32'
          ? [openblas]
          : [
              openblas,
              {
                name: 'robusta own bf16 (vdpbf16ps)',
                run: run('own', GemmPrecision.BF16, false),
                unavailable: () => (hasDpbf16 ? undefined : 'this CPU has no AVX512_BF16'),
              },
            ],
    };
  });
}

await runBenchmarks([...comparisons('fp32'), ...comparisons('bf16')], { name: 'native-gemm' });
configureGemm({ impl: 'auto', bf16Emulation: 'auto' });
