// The one place Attune loads TensorFlow.js. Every model imports `tf` from here and calls
// `initRuntime()` before its first tensor, so the backend is chosen once per process:
// tfjs-node-gpu (CUDA) when it loads, then tfjs-node, then wasm (ships in the npm package), then cpu.
// `ATTUNE_TF_BACKEND=auto|tensorflow|wasm|cpu` forces one; a forced backend that cannot load is a
// configuration error that names the reason. Models must not depend on which one runs.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { ConfigError } from '../../platform/config.js';

export { tf };
export type Tensor = tf.Tensor;

export const BACKEND_CHOICES = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
export type BackendName = Exclude<BackendChoice, 'auto'>;

export type RuntimeInfo = {
  backend: BackendName;
  /** What computes: "CUDA GPU", "CPU (libtensorflow)", "CPU (WebAssembly, SIMD)", "CPU (JavaScript)". */
  device: string;
  threads: number;
  tfjsVersion: string;
  /** Why the backends before this one in the preference order were not used (auto only). */
  skipped: string[];
};

let current: RuntimeInfo | null = null;
let pending: Promise<RuntimeInfo> | null = null;

/** Import a native tfjs-node build; it registers the "tensorflow" backend in the shared engine. */
async function loadNative(): Promise<{ device: string } | { error: string }> {
  const errors: string[] = [];
  for (const [pkg, device] of [
    ['@tensorflow/tfjs-node-gpu', 'CUDA GPU (tfjs-node-gpu)'],
    ['@tensorflow/tfjs-node', 'CPU (libtensorflow, tfjs-node)'],
  ] as const) {
    try {
      await import(/* @vite-ignore */ pkg);
      if (tf.findBackend('tensorflow')) return { device };
      errors.push(`${pkg} loaded but registered no "tensorflow" backend`);
    } catch (err) {
      errors.push(`${pkg}: ${firstLine(err)}`);
    }
  }
  return { error: errors.join('; ') };
}

const firstLine = (err: unknown) => String((err as Error)?.message ?? err).split('\n')[0]!;

async function trySet(name: BackendName): Promise<string | null> {
  try {
    const ok = await tf.setBackend(name);
    if (!ok) return `tf.setBackend("${name}") returned false`;
    await tf.ready();
    return null;
  } catch (err) {
    return firstLine(err);
  }
}

function describe(name: BackendName, nativeDevice: string | null, skipped: string[]): RuntimeInfo {
  let threads = 1;
  let device = 'CPU (JavaScript)';
  if (name === 'wasm') {
    const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
    const multi = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
    device = `CPU (WebAssembly${simd ? ', SIMD' : ''}${multi ? ', threads' : ''})`;
    // In Node the wasm backend loads its single-threaded binary (threads need a cross-origin
    // isolated browser), whatever setThreadsCount asked for.
    threads = 1;
  } else if (name === 'tensorflow') {
    device = nativeDevice ?? 'native TensorFlow';
    threads = 0; // libtensorflow sizes its own thread pools
  }
  return { backend: name, device, threads, tfjsVersion: tf.version.tfjs, skipped };
}

async function choose(choice: BackendChoice): Promise<RuntimeInfo> {
  if (choice !== 'auto') {
    let nativeDevice: string | null = null;
    if (choice === 'tensorflow') {
      const native = await loadNative();
      if ('error' in native)
        throw new ConfigError([`ATTUNE_TF_BACKEND=tensorflow but no native build loads: ${native.error}`]);
      nativeDevice = native.device;
    }
    const why = await trySet(choice);
    if (why) throw new ConfigError([`ATTUNE_TF_BACKEND=${choice} cannot be used: ${why}`]);
    return describe(choice, nativeDevice, []);
  }
  const skipped: string[] = [];
  const native = await loadNative();
  if ('device' in native) {
    const why = await trySet('tensorflow');
    if (!why) return describe('tensorflow', native.device, skipped);
    skipped.push(`tensorflow: ${why}`);
  } else skipped.push(`tensorflow: ${native.error}`);
  for (const name of ['wasm', 'cpu'] as const) {
    const why = await trySet(name);
    if (!why) return describe(name, null, skipped);
    skipped.push(`${name}: ${why}`);
  }
  throw new ConfigError([`no TensorFlow.js backend could be initialised: ${skipped.join('; ')}`]);
}

/**
 * Pick and initialise the backend once per process (idempotent; concurrent callers share one start).
 * `backend` is the configured `ATTUNE_TF_BACKEND` (config.tfBackend), or a backend a test or bench
 * compares; a later call with another backend switches to it.
 */
export async function initRuntime(options: { backend?: BackendChoice } = {}): Promise<RuntimeInfo> {
  const choice = options.backend ?? 'auto';
  if (current && (choice === 'auto' || choice === current.backend)) return current;
  if (pending && choice === 'auto') return pending;
  const run = choose(choice).then((info) => (current = info));
  if (choice === 'auto') pending = run.finally(() => (pending = null));
  return run;
}

/** The backend in use, or null before `initRuntime`. */
export function runtimeInfo(): RuntimeInfo | null {
  return current;
}

/** For /readyz: what the ML runtime would run on, initialising it if nothing has yet. */
export async function mlCapability(
  backend: BackendChoice = 'auto',
): Promise<{ available: boolean; reason: string }> {
  try {
    const info = await initRuntime({ backend });
    const threads = info.threads ? `, ${info.threads} thread(s)` : '';
    return {
      available: true,
      reason: `TensorFlow.js ${info.tfjsVersion} on ${info.backend}: ${info.device}${threads}`,
    };
  } catch (err) {
    return { available: false, reason: (err as Error).message };
  }
}

/**
 * On wasm, make room for a working set of `bytes` in one step. The wasm heap otherwise grows by
 * a fifth at a time as tensors are allocated, and each growth copies it: at 1M rows × 16 columns
 * that was 3.3 s of a 5.7 s logistic fit. The block is freed at once and reused by later tensors.
 * A no-op on other backends.
 */
export function reserveWorkingMemory(bytes: number): void {
  if (tf.getBackend() !== 'wasm') return;
  const { wasm } = tf.backend() as unknown as {
    wasm?: { _malloc?: (size: number) => number; _free?: (ptr: number) => void };
  };
  if (!wasm?._malloc || !wasm._free) return;
  const ptr = wasm._malloc(Math.min(bytes, 2 ** 31));
  if (ptr) wasm._free(ptr);
}
