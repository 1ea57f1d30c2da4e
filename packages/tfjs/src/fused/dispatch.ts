// Chooses between a backend's fused kernel and the composite tfjs version, and registers fused gradients lazily.
import { type GradConfig, getBackend, getGradient, getKernel, registerGradient } from '@tensorflow/tfjs-core';

let enabled = true;

/**
 * Turns the fused kernels off (or back on) for every backend: the composite versions run instead. Meant for
 * benchmarks and tests that compare the two on one backend; results agree within float32 rounding.
 */
export function setFusedKernelsEnabled(on: boolean): void {
  enabled = on;
}

export function fusedKernelsEnabled(): boolean {
  return enabled;
}

/**
 * Whether the active backend registers every one of `kernelNames` (and fused kernels are enabled). An op takes its
 * fused path only when the backend has both its forward and backward kernels, so its gradient never has to
 * differentiate a composite inside tfjs's backward pass (nested tf.grads there corrupts the outer tape).
 */
export function hasFusedKernel(...kernelNames: string[]): boolean {
  if (!enabled) return false;
  const backend = getBackend();
  return kernelNames.every((name) => getKernel(name, backend) != null);
}

/**
 * Registers a fused forward kernel's gradient the first time the kernel runs: importing this package registers
 * nothing, and a second copy of the package does not override (or warn about) the first one's registration.
 */
export function ensureGradient(config: GradConfig): void {
  if (getGradient(config.kernelName) == null) registerGradient(config);
}
