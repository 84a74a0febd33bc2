// The MMM's view of TensorFlow.js: the shared runtime (src/ml/runtime) loads it and picks the
// backend; this file only keeps the model's small API (wasm by default, cpu on request).
import { initRuntime, tf } from '../../ml/runtime/index.js';

export { tf };
export type Tensor = tf.Tensor;

export type BackendName = 'wasm' | 'cpu';

/** Switch to `name` through the shared runtime and return the backend actually in use. */
export async function useBackend(name: BackendName = 'wasm'): Promise<string> {
  const info = await initRuntime({ backend: name });
  return info.backend;
}
