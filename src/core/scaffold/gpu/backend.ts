// The backend choice of every GPU scaffold (`backend.ts` in the generated folder): CUDA (f64, where
// the `cuda/` addon is built, loads and counts a device) → WebGPU (f32) → the original JavaScript.
// HOTLOOP_GPU_BACKEND=cuda|webgpu|original forces one (a forced CUDA that cannot run is an error, not
// a silent fallback); the wrapper records which one ran each call and why the better ones did not.
export const GPU_BACKEND_TS = `import { createRequire } from 'node:module';
import { findArtefact, searched } from './locate.js';

/** The implementations a GPU scaffold's wrapper can run, best first. */
export type Backend = 'cuda' | 'webgpu' | 'original';
const BACKENDS: readonly string[] = ['cuda', 'webgpu', 'original'];

/** HOTLOOP_GPU_BACKEND: cuda, webgpu or original forces that backend; unset (or auto) tries them in order. */
export function forcedBackend(): Backend | undefined {
  const v = process.env.HOTLOOP_GPU_BACKEND;
  if (v === undefined || v === '' || v === 'auto') return undefined;
  if (BACKENDS.includes(v)) return v as Backend;
  throw new Error('hotloop: HOTLOOP_GPU_BACKEND=' + v + ' is not a backend: use cuda, webgpu, original or auto');
}

interface CudaAddon {
  deviceCount(): { count: number; code: number; error: string };
  readonly [entry: string]: unknown;
}

const ADDON = 'cuda/build/Release/kernel_cuda.node';
let cuda: CudaAddon | string | undefined;

function loadCuda(): CudaAddon | string {
  const file = findArtefact(ADDON);
  if (!file) return 'the CUDA addon is not built (npm run build:cuda where nvcc is installed; looked in ' + searched(ADDON) + ')';
  try {
    const addon = createRequire(file)(file) as CudaAddon;
    const d = addon.deviceCount();
    if (d.code !== 0 || d.count === 0) return 'no CUDA device (' + (d.error || 'code ' + d.code + ', ' + d.count + ' devices') + ')';
    return addon;
  } catch (err) {
    return 'the CUDA addon did not load: ' + (err instanceof Error ? err.message.split('\\n')[0] : String(err));
  }
}

/** The CUDA addon's entry \`name\`, or why it cannot run (the addon is loaded and its devices counted once per process). */
export function cudaEntry<F>(name: string): F | string {
  cuda ??= loadCuda();
  if (typeof cuda === 'string') return cuda;
  const f = cuda[name];
  return typeof f === 'function' ? (f as F) : "the CUDA addon has no entry '" + name + "'";
}

/** Which backend ran a call, and why the better ones did not ('' when it was the first choice). */
export interface Choice {
  readonly backend: Backend;
  readonly why: string;
}

let last: Choice | undefined;

/** Records the backend of the call in progress. */
export function chose(backend: Backend, why: string): void {
  last = { backend, why };
}

/** The backend that ran the last call (undefined before the first call). */
export function lastBackend(): Choice | undefined {
  return last;
}
`;
