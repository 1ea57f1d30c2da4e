// @tensorflow/tfjs-core plus all of its gradients: what training code imports instead of tfjs-core itself.
import * as tf from '@tensorflow/tfjs-core';
// @ts-expect-error: generated at build time by scripts/bundle-gradients.mjs (no types: a side effect only)
import './gradients.js';

export * from '@tensorflow/tfjs-core';
export * from './fused/index.js';
export { tf };
