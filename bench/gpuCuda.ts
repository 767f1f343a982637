// The CUDA side of `bench:gpu`: whether a CUDA build of the bench kernels can run here. Where no GPU
// is lent (every session so far) it reports why, and bench:gpu runs WebGPU only.
import { spawnSync } from 'node:child_process';

export interface CudaStatus {
  available: boolean;
  /** Why CUDA was not run (no nvcc, no driver, no device). */
  reason?: string;
  nvcc?: string;
}

/** nvcc's version line, or undefined where the toolkit is not installed. */
function nvccVersion(): string | undefined {
  const r = spawnSync('nvcc', ['--version'], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  return /release [\d.]+/.exec(r.stdout)?.[0];
}

/** A device exists when the NVIDIA driver lists one (nvidia-smi); no driver, no device. */
function deviceLine(): string | undefined {
  const r = spawnSync('nvidia-smi', ['--query-gpu=name', '--format=csv,noheader'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim().split('\n')[0] : undefined;
}

export function cudaStatus(): CudaStatus {
  const nvcc = nvccVersion();
  const dev = deviceLine();
  if (!dev)
    return {
      available: false,
      reason: `no NVIDIA device or driver (nvidia-smi lists none)${nvcc ? `; nvcc ${nvcc} is installed` : '; no nvcc'}`,
      ...(nvcc ? { nvcc } : {}),
    };
  return {
    available: false,
    reason: `device ${dev} present, but the CUDA bench kernels are not part of this build (WebGPU only)`,
    ...(nvcc ? { nvcc } : {}),
  };
}
