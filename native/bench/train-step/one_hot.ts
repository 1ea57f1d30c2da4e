// OneHot for tfjs's wasm backend with float32 output: tfjs-backend-wasm 4.22 writes int32 bits whatever the dtype
// (a float32 one-hot of ones reads back as 1.4e-45), which breaks the composite cross-entropy; int32 + Cast fixes it.
import { getKernel, type KernelFunc, registerKernel, type TensorInfo, tf, unregisterKernel } from '@robusta/tfjs';

interface WasmBackendLike {
  disposeData(dataId: object, force?: boolean): boolean;
}

/** Replaces wasm's OneHot with one that computes int32 and casts when float32 is asked for. */
export function registerWasmOneHotFix(): void {
  const oneHot = getKernel('OneHot', 'wasm');
  const cast = getKernel('Cast', 'wasm');
  if (oneHot == null || cast == null) throw new Error('one-hot fix: the wasm backend has no OneHot or Cast kernel');
  const original = oneHot.kernelFunc;
  unregisterKernel('OneHot', 'wasm');
  const kernelFunc: KernelFunc = (args) => {
    const attrs = args.attrs as { dtype: string };
    if (attrs.dtype === 'int32') return original(args);
    const ints = original({ ...args, attrs: { ...args.attrs, dtype: 'int32' } }) as TensorInfo;
    const out = cast.kernelFunc({ inputs: { x: ints }, backend: args.backend, attrs: { dtype: attrs.dtype } });
    (args.backend as unknown as WasmBackendLike).disposeData(ints.dataId);
    return out;
  };
  registerKernel({ kernelName: 'OneHot', backendName: 'wasm', setupFunc: oneHot.setupFunc, kernelFunc });
}

/** Checks a float32 one-hot on the active backend: row sums must be exactly 1. */
export function checkOneHot(): void {
  const sums = tf.tidy(() =>
    Array.from(tf.sum(tf.oneHot(tf.tensor1d([0, 4, 2], 'int32'), 5, 1, 0, 'float32'), 1).dataSync()),
  );
  if (sums.some((s) => s !== 1)) throw new Error(`one-hot on ${tf.getBackend()}: row sums [${sums}], expected 1s`);
}
