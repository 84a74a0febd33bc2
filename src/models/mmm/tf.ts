// The one place this model imports TensorFlow.js. Until the shared runtime (src/ml/) lands, it picks
// the backend itself: wasm by default, cpu on request.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

export { tf };
export type Tensor = tf.Tensor;

export type BackendName = 'wasm' | 'cpu';

/** Switch to `name` (initialising it once) and return the backend actually in use. */
export async function useBackend(name: BackendName = 'wasm'): Promise<string> {
  if (tf.getBackend() !== name) {
    const ok = await tf.setBackend(name);
    if (!ok) throw new Error(`TensorFlow.js backend "${name}" could not be initialised`);
  }
  await tf.ready();
  return tf.getBackend();
}
