// The CUDA side of `bench:gpu` (f64 on the device): bench/native/gpu_cuda.cu, built here with nvcc
// and the static CUDA runtime whenever nvcc exists (so the binary is ready to carry to a machine with
// a GPU), then run; without a driver or a device it exits at once with CUDA's own reason.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface CudaRow {
  name: string;
  n: number;
  ms: number;
  transfer_ms: number;
  max_rel_err: number;
  rate: string;
}

export interface CudaStatus {
  available: boolean;
  /** Why CUDA was not run (no nvcc and no binary, no driver, no device). */
  reason?: string;
  /** CUDA's error code where it answered (35: no driver, 100: no device). */
  code?: number;
  device?: string;
  /** Device-to-device copy, read + write bytes counted: the memory-bound kernels' ceiling. */
  copy_gbs?: number;
  /** cuBLAS dgemm on the same matrices (dlopen'ed there), or -1 with `cublas` saying why. */
  cublas_dgemm_ms?: number;
  cublas?: string;
  kernels?: CudaRow[];
}

/** Builds bench/native/gpu_cuda.cu into native/build/bench/gpu_cuda when stale; the path, or why not. */
export function buildCuda(root: string): { exe: string } | { reason: string } {
  const src = join(root, 'bench', 'native', 'gpu_cuda.cu');
  const dir = join(root, 'native', 'build', 'bench');
  const exe = join(dir, 'gpu_cuda');
  if (existsSync(exe) && statSync(exe).mtimeMs >= statSync(src).mtimeMs) return { exe };
  const nvcc = spawnSync('nvcc', ['--version'], { encoding: 'utf8' });
  if (nvcc.status !== 0)
    return existsSync(exe) ? { exe } : { reason: 'no nvcc and no prebuilt gpu_cuda binary' };
  mkdirSync(dir, { recursive: true });
  const args = [
    '-O3',
    '-std=c++17',
    '-cudart',
    'static',
    '-gencode',
    'arch=compute_80,code=sm_80',
    '-gencode',
    'arch=compute_90,code=[sm_90,compute_90]',
    '-diag-suppress',
    '1444',
    src,
    '-o',
    exe,
    '-ldl',
  ];
  const r = spawnSync('nvcc', args, { encoding: 'utf8' });
  return r.status === 0 ? { exe } : { reason: `nvcc failed: ${r.stderr.slice(0, 400)}` };
}

/** Runs the CUDA kernels at these sizes (vector length, gemm n, bodies) where a device exists. */
export function runCuda(root: string, vec: number, gemmN: number, bodies: number): CudaStatus {
  const built = buildCuda(root);
  if ('reason' in built) return { available: false, reason: built.reason };
  const r = spawnSync(built.exe, [String(vec), String(gemmN), String(bodies)], {
    encoding: 'utf8',
    timeout: 240_000,
  });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    const j = JSON.parse(line) as CudaStatus & { error?: string };
    if (j.error) return { available: false, reason: `CUDA error: ${j.error}` };
    return j;
  } catch {
    return {
      available: false,
      reason: `gpu_cuda exited ${r.status ?? r.signal}: ${r.stderr.slice(0, 300)}`,
    };
  }
}
