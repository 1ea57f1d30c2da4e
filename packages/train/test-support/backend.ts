// Picks the tfjs backend for the trainer's tests: 'robusta' (the native addon users train on) unless
// ROBUSTA_TEST_BACKEND names another (`cpu` for tfjs's own).
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
