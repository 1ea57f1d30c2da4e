// Benchmark: MLM forward + backward of a preset (default base) at batch 8 x 128 on 'robusta', beside PyTorch CPU.
// Env: BENCH_PRESET (tiny|base|large), BENCH_BATCH, BENCH_TOKENS, BENCH_RUNS, BENCH_WITH_TFJS_CPU=1 (slow peer).
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runBenchmarks } from '@robusta/bench-kit';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@robusta/tfjs';
import { configFromPreset, type PresetName } from '../src/index.js';
import { mlmStep, type Step } from './step.js';

const preset = (process.env.BENCH_PRESET ?? 'base') as PresetName;
const B = Number(process.env.BENCH_BATCH ?? 8);
const T = Number(process.env.BENCH_TOKENS ?? 128);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const threads = availableParallelism();
const cfg = configFromPreset(preset);

let nativeError: string | undefined;
try {
  await import('@robusta/native' as string);
} catch (e) {
  nativeError = `@robusta/native did not load: ${(e as Error).message.split('\n')[0]}`;
}

const peaks = new Map<string, number>();
/** A tfjs case: builds its model under its backend on first use, so weights never migrate between backends. */
function tfjsCase(backend: string) {
  let step: Step | undefined;
  return async () => {
    if (tf.getBackend() !== backend) await tf.setBackend(backend);
    step ??= mlmStep(preset, B, T);
    await step.run();
    const rssMB = process.resourceUsage().maxRSS / 1024;
    peaks.set(backend, Math.max(peaks.get(backend) ?? 0, rssMB));
  };
}

const PYTHON = '/usr/bin/python3';
const JEMALLOC = '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2';
let torchPeer: ChildProcessWithoutNullStreams | undefined;
/** PyTorch in a long-lived process: one "step" line per timed run. */
async function torchStep(): Promise<void> {
  if (!torchPeer) {
    const args = JSON.stringify({
      hidden: cfg.hiddenSize,
      heads: cfg.numAttentionHeads,
      ffn: cfg.intermediateSize,
      layers: cfg.numHiddenLayers,
      vocab: cfg.vocabSize,
      batch: B,
      tokens: T,
      threads,
    });
    const script = fileURLToPath(new URL('./torch_peer.py', import.meta.url));
    const env = existsSync(JEMALLOC) ? { ...process.env, LD_PRELOAD: JEMALLOC } : process.env;
    torchPeer = spawn(PYTHON, [script, args], { env });
    torchPeer.stderr.on('data', (d) => process.stderr.write(d));
  }
  const peer = torchPeer;
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      if (d.toString().includes('ok')) {
        peer.stdout.off('data', onData);
        resolve();
      }
    };
    peer.stdout.on('data', onData);
    peer.once('exit', (code) => reject(new Error(`torch peer exited with ${code}`)));
    peer.stdin.write('step\n');
  });
}

const tokens = B * T;
await runBenchmarks(
  [
    {
      title: `${preset} MLM forward+backward, batch ${B} x ${T}, ${threads} threads`,
      work: { amount: tokens, unit: 'tokens' },
      ours: { name: "tfjs 'robusta' (fused ops)", run: tfjsCase('robusta'), unavailable: () => nativeError },
      peers: [
        {
          name: `PyTorch ${threads} threads${existsSync(JEMALLOC) ? ' + jemalloc' : ''}`,
          run: torchStep,
          unavailable: () =>
            spawnSync(PYTHON, ['-c', 'import torch']).status === 0 ? undefined : `${PYTHON} cannot import torch`,
        },
        {
          name: "tfjs 'cpu'",
          run: tfjsCase('cpu'),
          unavailable: () =>
            process.env.BENCH_WITH_TFJS_CPU === '1' ? undefined : 'minutes per step; set BENCH_WITH_TFJS_CPU=1',
        },
      ],
      options: { warmup: 1, runs },
    },
  ],
  { name: `model-forward-backward-${preset}` },
);
for (const [backend, mb] of peaks)
  console.log(`peak RSS while running '${backend}': ${Math.round(mb)} MB (process-wide)`);
torchPeer?.stdin.end();
