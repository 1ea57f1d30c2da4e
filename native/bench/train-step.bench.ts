// One MLM training step (forward + backward + AdamW) of a small RoBERTa on 'robusta', tfjs wasm, tfjs cpu and PyTorch.
// B 16 batch, T 128 tokens, H 256 hidden, A 4 heads, D 64 head size, F 1024 FFN size, V 50265 vocab, L 4 layers,
// N 307 masked positions (15% of B x T) whose rows alone reach the tied decoder and the loss.
// Run: `npx tsx bench/train-step.bench.ts` (after `npm run build` here and in packages/tfjs); threads: ROBUSTA_NUM_THREADS.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { type CaseResult, type Comparison, type ComparisonResult, isSkipped, runBenchmarks } from '@robusta/bench-kit';
import { tf } from '@robusta/tfjs';
import { native } from '../src/index.js';
import {
  buildTrainStep,
  initialValues,
  makeBatch,
  paramSpecs,
  SMALL_ROBERTA,
  type TrainStep,
} from './train-step/model.js';
import { checkOneHot, registerWasmOneHotFix } from './train-step/one_hot.js';
import { checkSegmentSum, registerScatterSegmentSum } from './train-step/segment_sum.js';
import { startTorchPeer, type TorchPeer } from './train-step/torch_peer.js';

const c = SMALL_ROBERTA;
const tokens = c.B * c.T;
const batch = makeBatch(c);
const init = initialValues(c);
const threads = native.capabilities().threads;
const lnV = Math.log(c.V);
const nParams = paramSpecs(c).reduce((a, s) => a + s.shape.reduce((x, d) => x * d, 1), 0);
// a single step slower than this is timed once instead of several times
const SLOW_STEP_S = Number(process.env.TRAIN_STEP_SLOW_S ?? 60);

registerScatterSegmentSum('wasm');
registerScatterSegmentSum('cpu');
registerWasmOneHotFix();

console.log(
  `train step: L${c.L} H${c.H} A${c.A} F${c.F} V${c.V}, batch ${c.B} x ${c.T}, ${batch.selected.length} masked ` +
    `positions, ${(nParams / 1e6).toFixed(1)}M parameters, AdamW lr ${c.lr}, attention dropout ${c.attentionDropout}`,
);
console.log(
  `threads: robusta ${threads} (${native.capabilities().isa}, OpenBLAS ${native.capabilities().openblas}); ` +
    'tfjs wasm 1 (tfjs-backend-wasm is single-threaded in Node); tfjs cpu 1 (JavaScript)',
);
console.log(
  "kernels: gather's gradient (UnsortedSegmentSum) on wasm and cpu is each backend's own ScatterNd (wasm has " +
    "none; cpu's loops once per segment, 50,265 times); wasm's float32 OneHot is int32 + Cast (4.22 writes " +
    "int32 bits); Linear layers are matMul + add everywhere (wasm's _FusedMatMul is wrong with transposeB + bias)",
);

function checkFirstLoss(name: string, loss: number): void {
  const ok = Math.abs(loss - lnV) < 0.5;
  console.log(`${name}: step-0 loss ${loss.toFixed(4)} (ln V = ${lnV.toFixed(4)}) ${ok ? 'ok' : 'UNEXPECTED'}`);
  if (!ok) process.exitCode = 1;
}

function timed<T>(f: () => T): [T, number] {
  const start = process.hrtime.bigint();
  const out = f();
  return [out, Number(process.hrtime.bigint() - start) / 1e9];
}

// --- 'robusta': correctness, then (d) fresh bytes per step after warm-up ---------------------------------------
await tf.setBackend('robusta');
const robusta = buildTrainStep(c, batch, init);
const warmLosses: number[] = [];
for (let i = 0; i < 3; i++) {
  const [loss, s] = timed(() => robusta.step());
  warmLosses.push(loss);
  if (i === 0) checkFirstLoss('robusta', loss);
  console.log(`robusta warm-up step ${i}: loss ${loss.toFixed(4)}, ${s.toFixed(2)} s`);
}
const FRESH_STEPS = 5;
const fresh0 = native.poolStats().freshBytes;
for (let i = 0; i < FRESH_STEPS; i++) warmLosses.push(robusta.step());
const freshPerStep = (native.poolStats().freshBytes - fresh0) / FRESH_STEPS;
const falling = warmLosses.every((l, i) => i === 0 || l < (warmLosses[i - 1] as number));
console.log(
  `robusta losses over ${warmLosses.length} steps on one batch: ${warmLosses.map((l) => l.toFixed(3)).join(' ')} ` +
    `(${falling ? 'falling' : 'NOT falling'})`,
);
if (!falling) process.exitCode = 1;
console.log(
  `robusta fresh memory per step after 3 warm-up steps: ${freshPerStep} bytes (mean over ${FRESH_STEPS} steps; ` +
    `pool: ${(native.poolStats().pooledBytes / 2 ** 20).toFixed(0)} MiB pooled, ` +
    `${(native.poolStats().liveBytes / 2 ** 20).toFixed(0)} MiB live)`,
);

// --- peers: built when their case starts, one tfjs peer model alive at a time ---------------------------------
const firstStepS = new Map<string, number>();
const lossesOf = new Map<string, number[]>([['robusta', robusta.losses]]);
let peer: TrainStep | undefined;

async function activate(backend: string): Promise<string | undefined> {
  if (!(await tf.setBackend(backend))) return `tf.setBackend('${backend}') failed`;
  if (backend === 'robusta' || peer?.backend === backend) return undefined;
  peer?.dispose();
  checkSegmentSum();
  checkOneHot();
  peer = buildTrainStep(c, batch, init);
  lossesOf.set(backend, peer.losses);
  const [loss, s] = timed(() => (peer as TrainStep).step());
  firstStepS.set(backend, s);
  checkFirstLoss(backend, loss);
  console.log(`${backend} step 0: ${s.toFixed(1)} s`);
  return undefined;
}

const stepOf = (backend: string) => () => {
  const m = backend === 'robusta' ? robusta : peer;
  if (m?.backend !== backend) throw new Error(`train step: no model on '${backend}'`);
  return m.step();
};

let torch: TorchPeer | undefined;
async function startTorch(): Promise<string | undefined> {
  const started = await startTorchPeer(c, batch, threads);
  if (typeof started === 'string') return started;
  torch = started;
  console.log(`pytorch: ${torch.describe}`);
  checkFirstLoss('pytorch', await torchStep());
  return undefined;
}
const torchLosses: number[] = [];
async function torchStep(): Promise<number> {
  const loss = await (torch as TorchPeer).step();
  torchLosses.push(loss);
  return loss;
}

const robustaCase = { name: 'robusta', run: stepOf('robusta'), unavailable: () => activate('robusta') };
const work = { amount: tokens, unit: 'tokens' };

const vsWasmAndTorch: Comparison = {
  title: `train step L${c.L} H${c.H} V${c.V} B${c.B} T${c.T}: robusta vs tfjs wasm and PyTorch CPU`,
  work,
  options: { warmup: 1, runs: 5 },
  ours: robustaCase,
  peers: [
    { name: 'tfjs wasm', run: stepOf('wasm'), unavailable: () => activate('wasm') },
    {
      name: `PyTorch CPU (${threads} threads)`,
      run: torchStep,
      unavailable: startTorch,
    },
  ],
};

async function vsCpu(): Promise<Comparison> {
  torch?.close();
  torch = undefined;
  const reason = await activate('cpu');
  await tf.setBackend('robusta');
  const slow = reason === undefined && (firstStepS.get('cpu') ?? 0) > SLOW_STEP_S;
  if (slow) console.log(`tfjs cpu: one step takes more than ${SLOW_STEP_S} s, so it is timed once`);
  return {
    title: `train step L${c.L} H${c.H} V${c.V} B${c.B} T${c.T}: robusta vs tfjs cpu${slow ? ' (one timed run)' : ''}`,
    work,
    options: slow ? { warmup: 0, runs: 1 } : { warmup: 0, runs: 3 },
    ours: robustaCase,
    peers: [{ name: 'tfjs cpu', run: stepOf('cpu'), unavailable: () => reason ?? activate('cpu') }],
  };
}

let results: ComparisonResult[];
try {
  results = await runBenchmarks([vsWasmAndTorch, vsCpu], { name: 'train-step' });
} finally {
  torch?.close();
  peer?.dispose();
}

// --- the table for native/README.md: every figure from this run ----------------------------------------------
const [main, cpuRun] = results as [ComparisonResult, ComparisonResult | undefined];
const base = main.ours;
const lossPair = (l: number[] | undefined) => (l && l.length > 1 ? `${l[0]?.toFixed(4)} -> ${l[1]?.toFixed(4)}` : '');
const lines = [
  '| case | step (s, median) | tokens/s | robusta speed-up | loss step 0 -> 1 | timed runs (min-max s) |',
  '| --- | --- | --- | --- | --- | --- |',
];
const line = (r: CaseResult, losses: number[] | undefined) =>
  lines.push(
    `| ${r.name} | ${(r.medianMs / 1000).toFixed(2)} | ${Math.round(r.throughput ?? 0)} | ` +
      `${r === base ? '' : `${(r.medianMs / base.medianMs).toFixed(1)}x`} | ${lossPair(losses)} | ` +
      `${r.runs}: ${(r.minMs / 1000).toFixed(2)}-${(r.maxMs / 1000).toFixed(2)} |`,
  );
const lossKey = (name: string) =>
  name === 'tfjs wasm' ? 'wasm' : name === 'tfjs cpu' ? 'cpu' : name === 'robusta' ? 'robusta' : undefined;
for (const r of [main.ours, ...main.peers, ...(cpuRun?.peers ?? [])]) {
  if (isSkipped(r)) lines.push(`| ${r.name} | skipped | | | | ${r.skipped} |`);
  else line(r, lossKey(r.name) ? lossesOf.get(lossKey(r.name) as string) : torchLosses);
}
console.log(`\nsame run, robusta speed-up = case median / robusta median over ${base.runs} runs:`);
for (const l of lines) console.log(l);
if (cpuRun) {
  console.log(
    `(robusta timed beside tfjs cpu, ${cpuRun.ours.runs} run: ${(cpuRun.ours.medianMs / 1000).toFixed(2)} s, ` +
      `ratio ${cpuRun.ratio?.toFixed(1)}x)`,
  );
}
const ref = robusta.losses;
for (const name of ['wasm', 'cpu']) {
  const l = lossesOf.get(name);
  if (!l || l.length < 2) continue;
  const diff = Math.max(
    Math.abs((l[0] as number) - (ref[0] as number)),
    Math.abs((l[1] as number) - (ref[1] as number)),
  );
  console.log(
    `${name} vs robusta, losses of steps 0 and 1 (same weights and dropout): max difference ${diff.toExponential(1)}`,
  );
  if (diff > 1e-3) process.exitCode = 1;
}
console.log(`robusta fresh bytes per step after warm-up: ${freshPerStep}`);
