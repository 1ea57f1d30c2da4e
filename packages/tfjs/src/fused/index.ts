// Robusta's fused ops with their gradients: fused kernels on a backend that registers them, tfjs ops elsewhere.
export { type AdamWOptions, adamwUpdate, adamwUpdateComposite } from './adamw.js';
export { type AttentionOptions, attention, attentionComposite } from './attention.js';
export { biasGelu, biasGeluComposite } from './bias_gelu.js';
export {
  type SoftmaxCrossEntropyOptions,
  softmaxCrossEntropy,
  softmaxCrossEntropyComposite,
} from './cross_entropy.js';
export { fusedKernelsEnabled, hasFusedKernel, setFusedKernelsEnabled } from './dispatch.js';
export { dropoutBits, dropoutKey, dropoutMask, dropoutScale, dropoutThreshold, splitSeed } from './dropout.js';
export { fmix32 } from './hash.js';
export * from './kernel_names.js';
export { layerNorm, layerNormComposite } from './layer_norm.js';
export * as reference from './reference.js';
