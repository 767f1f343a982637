// Whether the CUDA compiler is installed (the GPU scaffold then also emits its CUDA flavour).
import { spawnSync } from 'node:child_process';

/** True when `nvcc --version` runs. Spawned with an argument array; cached per process. */
let cached: boolean | undefined;
export function hasNvcc(): boolean {
  cached ??= spawnSync('nvcc', ['--version'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
  return cached;
}
