// One MLM training step (forward + backward at the masked positions) of a preset, shared by the bench and probes.
// B batch, T tokens, V vocab, N masked positions (15% of B*T, as in pretraining).
import * as tf from '@robusta/tfjs';
import { configFromPreset, type PresetName, RobertaForMaskedLM } from '../src/index.js';

export interface Step {
  run: () => Promise<void>;
  model: RobertaForMaskedLM;
  dispose: () => void;
}

export function mlmStep(preset: PresetName, B: number, T: number, seed = 0): Step {
  const model = new RobertaForMaskedLM(configFromPreset(preset), { seed });
  const V = model.config.vocabSize;
  const ids = new Int32Array(B * T);
  const positions: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < B * T; i++) {
    const t = i % T;
    ids[i] = t === 0 ? 0 : t === T - 1 ? 2 : 3 + ((i * 7919) % (V - 3));
    if (t > 0 && t < T - 1 && (i * 2654435761) % 100 < 15) {
      positions.push(i);
      labels.push(ids[i]!);
    }
  }
  const inputIds = tf.tensor2d(ids, [B, T], 'int32');
  const maskedPositions = tf.tensor1d(positions, 'int32');
  const target = tf.tensor1d(labels, 'int32');
  const vars = [...model.variables.values()];
  let step = 0;
  return {
    model,
    run: async () => {
      const { value, grads } = tf.variableGrads(() => {
        const { logits } = model.forward({ inputIds, maskedPositions }, { training: true, seed: step++ });
        return tf.softmaxCrossEntropy(logits, target) as tf.Scalar;
      }, vars);
      // reading the loss waits for the backend to finish the step
      await value.data();
      tf.dispose([value, ...Object.values(grads)]);
    },
    dispose: () => {
      tf.dispose([inputIds, maskedPositions, target]);
      model.dispose();
    },
  };
}
