// One rank of native's MPI tests (src/mpi.test.ts runs it under mpirun, or alone as a world of one): rank-dependent
// inputs through every collective; the results go to stdout as one JSON line for the test to compare with the sums it
// computes itself. Imports the built package (dist/), as a user's training script would.
import * as tf from '@tensorflow/tfjs-core';
import { MpiCollective, mpiAllReduceMax, mpiAllReduceSum, mpiBroadcast, mpiStatus, native } from '../../dist/index.js';

const LARGE = 3_000_000; // 12 MB of float32: several MPI messages, and more than one all-reduce bucket below

const collective = await MpiCollective.create({ bucketBytes: 32 });
const { rank, worldSize: size } = collective;
const out = { rank, size, localRank: collective.localRank, threadLevel: collective.threadLevel, status: mpiStatus() };

// raw buffers: float32, float64, int32, max, a partial count, tensor memory (Storage)
const f32 = Float32Array.from({ length: 7 }, (_, i) => rank * 1000 + i);
const f64 = Float64Array.from({ length: 5 }, (_, i) => rank + i + 0.5);
const i32 = Int32Array.from([rank, -rank, 7]);
const max = Float32Array.from([rank, -rank]);
const partial = new Float32Array(4).fill(rank + 1);
const storage = native.alloc(16);
native.write(storage, Float32Array.from([rank + 1, 2, 3, 4]));
const large = new Float32Array(LARGE).fill(rank + 1);
// issued together: the addon runs them one after another in this order on every rank
await Promise.all([
  mpiAllReduceSum(f32),
  mpiAllReduceSum(f64),
  mpiAllReduceSum(i32),
  mpiAllReduceMax(max),
  mpiAllReduceSum(partial, 2),
  mpiAllReduceSum(storage),
  mpiAllReduceSum(large),
]);
const fromStorage = new Float32Array(4);
native.read(storage, fromStorage);
storage.free();
let [lo, hi] = [Infinity, -Infinity];
for (const v of large) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
Object.assign(out, {
  f32: [...f32],
  f64: [...f64],
  i32: [...i32],
  max: [...max],
  partial: [...partial],
  storage: [...fromStorage],
  large: { min: lo, max: hi },
});

// broadcasts: bytes from rank 0, a float64 from the last rank
const bytes = rank === 0 ? Uint8Array.from([1, 2, 3, 4, 5, 6]) : new Uint8Array(6);
const last = Float64Array.from([rank * 1.5]);
await mpiBroadcast(bytes, 0);
await mpiBroadcast(last, size - 1);
Object.assign(out, { bytes: [...bytes], last: [...last] });

// refusals reject (checked before anything reaches MPI, so the ranks stay in step)
const reason = (p) =>
  p.then(
    () => 'resolved',
    (e) => e.message,
  );
out.badRoot = await reason(mpiBroadcast(bytes, size));
out.badType = await reason(mpiAllReduceSum(new Uint8Array(4)));
out.badCount = await reason(mpiAllReduceSum(new Float32Array(2), 3));

// the Collective: gradients summed through 32-byte buckets (several), weights broadcast from rank 0
await tf.setBackend('robusta');
const shapes = { 'a.weight': [2, 3], 'a.bias': [4], 'b.weight': [3, 2, 2] };
const grads = new Map(
  Object.entries(shapes).map(([name, shape], k) => [
    name,
    tf.tensor(
      Array.from({ length: shape.reduce((x, y) => x * y) }, (_, i) => rank * 100 + k * 10 + i),
      shape,
    ),
  ]),
);
const inputs = [...grads.values()];
const summed = await collective.allReduceSum(grads);
out.grads = Object.fromEntries(
  await Promise.all([...summed].map(async ([name, t]) => [name, { shape: t.shape, values: [...(await t.data())] }])),
);
out.gradOrder = [...summed.keys()];
out.inputsDisposed = inputs.every((t) => t.isDisposed);
out.inputsReturned = [...summed.values()].every((t, i) => t === inputs[i]); // a world of one: nothing to sum
tf.dispose([...summed.values()]);

const weights = new Map([
  ['w', tf.tensor([rank + 0.5, rank + 1.5, rank + 2.5], [3], 'float32')],
  ['k', tf.tensor([rank, rank * 2], [2], 'int32')],
]);
const received = await collective.broadcast(weights, 0);
out.weights = Object.fromEntries(
  await Promise.all([...received].map(async ([name, t]) => [name, { dtype: t.dtype, values: [...(await t.data())] }])),
);
out.weightsKept = [...weights.values()].every((t) => !t.isDisposed);

await collective.barrier();
await collective.finalize();
out.finalized = !mpiStatus().initialized;
console.log(`MPI-RANK-RESULT ${JSON.stringify(out)}`);
