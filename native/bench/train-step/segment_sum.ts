// UnsortedSegmentSum (gather's gradient) for tfjs's wasm and cpu backends, as a call of each backend's own ScatterNd.
// wasm has no UnsortedSegmentSum; cpu's loops over the segments (V = 50,265 passes over [B*T, H] for the embedding
// gradient), so both get a linear scatter-add from their own ScatterNd kernel, which sums duplicate indices.
import { getKernel, type KernelFunc, registerKernel, type TensorInfo, tf, unregisterKernel } from '@robusta/tfjs';

/** Registers (or replaces) UnsortedSegmentSum on `backendName` for 1-D segment ids in [0, numSegments). */
export function registerScatterSegmentSum(backendName: 'wasm' | 'cpu'): void {
  const scatter = getKernel('ScatterNd', backendName);
  if (scatter == null) throw new Error(`segment sum: backend '${backendName}' has no ScatterNd kernel to build on`);
  if (getKernel('UnsortedSegmentSum', backendName) != null) unregisterKernel('UnsortedSegmentSum', backendName);
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
    const numSegments = (attrs as { numSegments: number }).numSegments;
    if (segmentIds.shape.length !== 1 || segmentIds.shape[0] !== x.shape[0]) {
      throw new Error(
        `segment sum on ${backendName}: needs 1-D segment ids with one id per row of x; ` +
          `got x [${x.shape}], segmentIds [${segmentIds.shape}]`,
      );
    }
    // ScatterNd treats 1-D indices [N] as [N, 1]: out[ids[i], ...] += x[i, ...]
    return scatter.kernelFunc({
      inputs: { indices: segmentIds, updates: x },
      backend,
      attrs: { shape: [numSegments, ...x.shape.slice(1)] },
    });
  };
  registerKernel({ kernelName: 'UnsortedSegmentSum', backendName, kernelFunc });
}

/** Checks the registered kernel on the active backend against hand-computed sums (duplicate ids included). */
export function checkSegmentSum(): void {
  const got = tf.tidy(() =>
    Array.from(
      tf.unsortedSegmentSum(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]), tf.tensor1d([2, 0, 2], 'int32'), 3).dataSync(),
    ),
  );
  const want = [3, 4, 0, 0, 6, 8];
  if (got.some((v, i) => v !== want[i])) {
    throw new Error(`segment sum on ${tf.getBackend()}: got [${got}], expected [${want}]`);
  }
}
