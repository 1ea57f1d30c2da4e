// BatchMatMul through cuBLASLt in exact fp32: one GEMM per batch entry, batch dimensions broadcast as TensorFlow does.
// Legend: a [...Ba, M, K] (or [..., K, M] when transposeA), b [...Bb, K, N] (or [..., N, K]), out [...B, M, N].
import {
  BatchMatMul,
  type BatchMatMulAttrs,
  backend_util,
  type KernelConfig,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { native } from '../../addon.js';
import { CUDA_BACKEND_NAME, type CudaBackend, requireFloat32 } from '../backend.js';

/** Element offset of each output batch entry's matrix in an input with batch dims `dims` (aligned right). */
function batchOffsets(dims: number[], outDims: number[], matrix: number): number[] {
  const rank = outDims.length;
  const padded = [...new Array<number>(rank - dims.length).fill(1), ...dims];
  const strides = new Array<number>(rank).fill(0);
  for (let d = rank - 1, s = matrix; d >= 0; d--) {
    strides[d] = (padded[d] as number) === 1 ? 0 : s;
    s *= padded[d] as number;
  }
  const total = util.sizeFromShape(outDims);
  const offsets = new Array<number>(total);
  for (let i = 0; i < total; i++) {
    let rem = i;
    let off = 0;
    for (let d = rank - 1; d >= 0; d--) {
      const dim = outDims[d] as number;
      off += (rem % dim) * (strides[d] as number);
      rem = Math.floor(rem / dim);
    }
    offsets[i] = off;
  }
  return offsets;
}

export const batchMatMulConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: CUDA_BACKEND_NAME,
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as CudaBackend;
    const a = inputs.a as TensorInfo;
    const c = inputs.b as TensorInfo;
    const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
    requireFloat32('BatchMatMul', a);
    requireFloat32('BatchMatMul', c);
    const ar = a.shape.length;
    const br = c.shape.length;
    util.assert(ar >= 2 && br >= 2, () => `BatchMatMul: inputs need rank >= 2, got [${a.shape}] and [${c.shape}]`);
    const m = a.shape[transposeA ? ar - 1 : ar - 2] as number;
    const k = a.shape[transposeA ? ar - 2 : ar - 1] as number;
    const kb = c.shape[transposeB ? br - 1 : br - 2] as number;
    const n = c.shape[transposeB ? br - 2 : br - 1] as number;
    util.assert(
      k === kb,
      () =>
        `BatchMatMul: inner dimensions differ: [${a.shape}] x [${c.shape}] ` +
        `(transposeA=${transposeA}, transposeB=${transposeB})`,
    );
    const batchA = a.shape.slice(0, -2);
    const batchB = c.shape.slice(0, -2);
    const batch = backend_util.assertAndGetBroadcastShape(batchA, batchB);
    const out = b.makeTensorInfo([...batch, m, n], 'float32');
    const offA = batchOffsets(batchA, batch, m * k);
    const offB = batchOffsets(batchB, batch, k * n);
    const [ba, bb, bo] = [b.buffer(a), b.buffer(c), b.buffer(out)];
    for (let i = 0; i < offA.length; i++) {
      native.cudaTensorGemm(
        0,
        ba,
        offA[i] as number,
        bb,
        offB[i] as number,
        bo,
        i * m * n,
        m,
        n,
        k,
        transposeA,
        transposeB,
      );
    }
    return out;
  },
};
