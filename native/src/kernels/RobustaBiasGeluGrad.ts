// RobustaBiasGeluGrad: dx and dbias of RobustaBiasGelu from dy.
import { RobustaBiasGeluGrad } from '@robusta/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { native } from '../addon.js';
import type { RobustaBackend } from '../backend.js';
import { requireFloat32, rowsAndLast } from './fused.js';

export const robustaBiasGeluGradConfig: KernelConfig = {
  kernelName: RobustaBiasGeluGrad,
  backendName: 'robusta',
  kernelFunc: ({ inputs, backend }) => {
    const b = backend as RobustaBackend;
    const { dy, x, bias } = inputs as { dy: TensorInfo; x: TensorInfo; bias: TensorInfo };
    requireFloat32(RobustaBiasGeluGrad, { dy, x, bias });
    const [rows, F] = rowsAndLast(x);
    const dx = b.makeTensorInfo(x.shape, 'float32');
    const dbias = b.makeTensorInfo(bias.shape, 'float32');
    native.fusedBiasGeluGrad(b.storage(dy), b.storage(x), b.storage(bias), b.storage(dx), b.storage(dbias), rows, F);
    return [dx, dbias];
  },
};
