// Picks the tfjs backend for model tests: 'robusta' (the native addon users train on) unless ROBUSTA_TEST_BACKEND
// names another; tfjs 'cpu' is there as a second reference.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@robusta/tfjs';

/** The backend the tests run on: $ROBUSTA_TEST_BACKEND, else 'robusta'. */
export const TEST_BACKEND = process.env.ROBUSTA_TEST_BACKEND || 'robusta';

/** Makes `name` the active backend (loading @robusta/native for any backend but tfjs 'cpu'); returns it. */
export async function useTestBackend(name: string = TEST_BACKEND): Promise<string> {
  if (name !== 'cpu') await import('@robusta/native');
  if (!(await tf.setBackend(name))) throw new Error(`tfjs backend '${name}' failed to initialise`);
  return name;
}

/** Token ids [B, T] with real tokens in [3, V) framed by <s>=0 and </s>=2, right-padded with 1 to T. */
export function batchIds(lengths: number[], T: number, V: number, seed = 1): number[][] {
  let s = seed;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
  return lengths.map((len) =>
    Array.from({ length: T }, (_, t) => (t === 0 ? 0 : t === len - 1 ? 2 : t < len ? 3 + (next() % (V - 3)) : 1)),
  );
}

export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  return num / (den || 1);
}
