// @robusta/native: importing this registers the 'robusta' tfjs backend (a side effect, declared in package.json).
import { registerBackend } from '@tensorflow/tfjs-core';
import { native } from './addon.js';
import { RobustaBackend } from './backend.js';
import { registerAllKernels } from './register_all_kernels.js';

export const BACKEND_NAME = 'robusta';

registerAllKernels();
// priority 3: above tfjs's cpu (1) and wasm (2), so the fastest backend present is the default
registerBackend(BACKEND_NAME, () => new RobustaBackend(), 3);

export { type Capabilities, native, type PoolStats } from './addon.js';
export { RobustaBackend } from './backend.js';
// 'robusta-cuda': registered on import only when a CUDA device is usable (cudaBackendStatus() says why not)
export { CUDA_BACKEND_NAME, CudaBackend } from './cuda-backend/backend.js';
export { type CudaBackendStatus, cudaBackendStatus } from './cuda-backend/register.js';
export {
  configureGemm,
  type GemmInfo,
  type GemmOptions,
  gemmInfo,
  getMatMulPrecision,
  type MatMulPrecision,
  setMatMulPrecision,
  withMatMulPrecision,
} from './kernels/matmul.js';
// collectives between processes (OpenMPI, opened at run time: mpiStatus() says why not)
export {
  MPI_BUCKET_BYTES,
  MpiCollective,
  type MpiReducible,
  type MpiStatus,
  type MpiThreadLevel,
  type MpiWorld,
  mpiAbort,
  mpiAllReduceMax,
  mpiAllReduceSum,
  mpiBarrier,
  mpiBroadcast,
  mpiFinalize,
  mpiInit,
  mpiStatus,
} from './mpi.js';
export { kernelConfigs } from './register_all_kernels.js';

/** What this build and machine offer (ISA level, threads, OpenBLAS, CUDA kernels). */
export function capabilities() {
  return native.capabilities();
}
