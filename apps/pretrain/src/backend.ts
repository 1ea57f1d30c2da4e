// Picks the tfjs backend and says what was found: 'robusta' (@robusta/native) when it loads, else tfjs 'cpu'.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@robusta/tfjs';

export interface BackendInfo {
  name: 'robusta' | 'cpu';
  /** One line for the log: ISA, threads, BLAS; or why native was not used. */
  detail: string;
}

export async function selectBackend(wanted: 'auto' | 'robusta' | 'cpu'): Promise<BackendInfo> {
  if (wanted !== 'cpu') {
    try {
      const native = await import('@robusta/native');
      if (await tf.setBackend('robusta')) {
        const c = native.capabilities();
        return {
          name: 'robusta',
          detail: `${c.isa}, ${c.threads} threads, OpenBLAS ${c.openblas ? 'yes' : 'no'}, CUDA ${c.cuda}`,
        };
      }
      throw new Error("tf.setBackend('robusta') failed");
    } catch (e) {
      if (wanted === 'robusta')
        throw new Error(
          `--backend robusta: @robusta/native did not load (${(e as Error).message}); build it with \`npm run build -w @robusta/native\` or pass --backend cpu`,
        );
      await tf.setBackend('cpu');
      return { name: 'cpu', detail: `tfjs cpu (slow): @robusta/native did not load: ${(e as Error).message}` };
    }
  }
  await tf.setBackend('cpu');
  return { name: 'cpu', detail: 'tfjs cpu, as asked' };
}
