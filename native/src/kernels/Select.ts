// Select (tf.where): condition ? t : e. A rank-1 condition with rank > 1 branches picks whole rows (TensorFlow's
// rule); otherwise the three shapes broadcast NumPy-style. The output dtype is upcast(t, e), as on the cpu backend.
import { backend_util, type KernelConfig, Select, type TensorInfo, upcastType } from '@tensorflow/tfjs-core';
import { native } from '../addon.js';
import { bytesPerElement, type RobustaBackend } from '../backend.js';
import { assertNumeric, ensureDtype } from './transform.js';

export const selectConfig: KernelConfig = {
  kernelName: Select,
  backendName: 'robusta',
  kernelFunc: ({ inputs, backend }) => {
    const b = backend as RobustaBackend;
    const temps: TensorInfo[] = [];
    for (const t of [inputs.condition, inputs.t, inputs.e] as TensorInfo[]) assertNumeric(t, 'Select');
    const dtype = upcastType((inputs.t as TensorInfo).dtype, (inputs.e as TensorInfo).dtype);
    const cond = ensureDtype(b, inputs.condition as TensorInfo, 'bool', temps);
    const t = ensureDtype(b, inputs.t as TensorInfo, dtype, temps);
    const e = ensureDtype(b, inputs.e as TensorInfo, dtype, temps);
    let condShape = cond.shape;
    if (condShape.length === 1 && t.shape.length > 1) {
      condShape = [condShape[0] as number, ...new Array<number>(t.shape.length - 1).fill(1)];
    }
    const outShape = backend_util.assertAndGetBroadcastShape(
      backend_util.assertAndGetBroadcastShape(condShape, t.shape),
      e.shape,
    );
    const out = b.makeTensorInfo(outShape, dtype);
    native.selectWhere(
      bytesPerElement(dtype),
      b.storage(cond),
      condShape,
      b.storage(t),
      t.shape,
      b.storage(e),
      e.shape,
      b.storage(out),
      outShape,
    );
    for (const x of temps) b.disposeIntermediateTensorInfo(x);
    return out;
  },
};
