// Registers the 'robusta-cuda' backend and its kernels when a CUDA device is usable; otherwise records why not.
import { type KernelConfig, registerBackend, registerKernel } from '@tensorflow/tfjs-core';
import { cudaStatus } from '../cuda.js';
import { CUDA_BACKEND_NAME, CudaBackend } from './backend.js';
import { batchMatMulConfig } from './kernels/BatchMatMul.js';
import { castConfig } from './kernels/Cast.js';
import { elementwiseConfigs } from './kernels/elementwise.js';
import { fillConfig, onesLikeConfig, zerosLikeConfig } from './kernels/Fill.js';
import { identityConfig, reshapeConfig } from './kernels/Reshape.js';
import { sliceConfig, stridedSliceConfig } from './kernels/Slice.js';
import { softmaxConfig } from './kernels/Softmax.js';
import { meanConfig, sumConfig } from './kernels/Sum.js';
import { reverseConfig, transposeConfig } from './kernels/Transpose.js';

/** Whether 'robusta-cuda' was registered, and why not (no driver, no device, ROBUSTA_CUDA=0, no kernels built). */
export interface CudaBackendStatus {
  registered: boolean;
  reason?: string;
  device?: string;
  /** Kernels left out because a library they need is missing (BatchMatMul without cuBLASLt), with the reason. */
  missing?: string;
  kernels: string[];
}

/** Every kernel of the backend; BatchMatMul only when cuBLASLt loaded. */
export function cudaKernelConfigs(withGemm: boolean): KernelConfig[] {
  const configs = [
    ...elementwiseConfigs,
    castConfig,
    reshapeConfig,
    identityConfig,
    fillConfig,
    zerosLikeConfig,
    onesLikeConfig,
    transposeConfig,
    reverseConfig,
    sliceConfig,
    stridedSliceConfig,
    softmaxConfig,
    sumConfig,
    meanConfig,
  ];
  if (withGemm) configs.push(batchMatMulConfig);
  return configs;
}

function register(): CudaBackendStatus {
  const st = cudaStatus();
  if (!st.available) return { registered: false, reason: st.reason ?? 'CUDA unavailable', kernels: [] };
  const withGemm = st.cublasLt !== false;
  const configs = cudaKernelConfigs(withGemm);
  for (const c of configs) registerKernel(c);
  // priority 0: below 'robusta' (3), so it is chosen only by name while its kernel list is this short
  registerBackend(CUDA_BACKEND_NAME, () => new CudaBackend(), 0);
  return {
    registered: true,
    device: st.device,
    ...(withGemm ? {} : { missing: `BatchMatMul: cuBLASLt unavailable (${st.cublasLtReason})` }),
    kernels: configs.map((c) => c.kernelName).sort(),
  };
}

const status = register();

/** Whether importing '@robusta/native' registered the 'robusta-cuda' backend, and if not, why. */
export function cudaBackendStatus(): CudaBackendStatus {
  return status;
}
