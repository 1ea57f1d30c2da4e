// RobustaBiasGelu: fused gelu(x + bias) with the exact erf GELU (x [.., F], bias [F]).
import { RobustaBiasGelu } from '@robusta/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { native } from '../addon.js';
import type { RobustaBackend } from '../backend.js';
import { requireFloat32, rowsAndLast } from './fused.js';

export const robustaBiasGeluConfig: KernelConfig = {
  kernelName: RobustaBiasGelu,
  backendName: 'robusta',
  kernelFunc: ({ inputs, backend }) => {
    const b = backend as RobustaBackend;
    const { x, bias } = inputs as { x: TensorInfo; bias: TensorInfo };
    requireFloat32(RobustaBiasGelu, { x, bias });
    const [rows, F] = rowsAndLast(x);
    const y = b.makeTensorInfo(x.shape, 'float32');
    native.fusedBiasGelu(b.storage(x), b.storage(bias), b.storage(y), rows, F);
    return y;
  },
};
