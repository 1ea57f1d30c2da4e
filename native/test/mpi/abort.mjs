// One rank of native's mpiAbort test (src/mpi.test.ts): rank 1 aborts the job with code 3 while the others wait in a
// barrier that can never complete; mpirun must end every rank and exit non-zero.
import { mpiAbort, mpiBarrier, mpiInit } from '../../dist/index.js';

const { rank } = await mpiInit();
if (rank === 1) {
  console.log('MPI-ABORT rank 1 aborting');
  mpiAbort(3);
}
await mpiBarrier();
console.log(`MPI-ABORT rank ${rank} passed the barrier (it should not have)`);
