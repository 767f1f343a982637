// The TypeScript reference as a backend, and the helper that gives the wasm and TS backends their
// …Async entries (computed on the JS thread after a macrotask: only the native backend frees it).
import { reference } from './reference.js';
import {
  ROUTINES,
  type AsyncRoutines,
  type KernelInfo,
  type Kernels,
  type LoadAttempt,
  type Routines,
} from './types.js';

/** Adds `nameAsync` for every routine of `r`. */
export function withAsync(r: Routines): Routines & AsyncRoutines {
  const out: Record<string, unknown> = {};
  const table = r as unknown as Record<string, (...a: unknown[]) => unknown>;
  for (const name of ROUTINES) {
    const f = table[name]!;
    out[name] = f;
    out[`${name}Async`] = (...args: unknown[]) =>
      new Promise((res, rej) => {
        setImmediate(() => {
          try {
            res(f(...args));
          } catch (e) {
            rej(e instanceof Error ? e : new Error(String(e)));
          }
        });
      });
  }
  return out as unknown as Routines & AsyncRoutines;
}

export function referenceKernels(tried: LoadAttempt[]): Kernels {
  const info = (): KernelInfo => ({
    backend: 'ts',
    simd: 'none',
    simdLevels: ['none'],
    threads: 1,
    parallelThresholdBytes: Infinity,
  });
  return {
    ...withAsync(reference),
    backend: 'ts',
    tried,
    info,
    setSimdLevel: (level: string) => {
      if (level !== 'none' && level !== 'best')
        throw new RangeError(
          `hotloop kernels.setSimdLevel: '${level}' is not available on the ts backend; available: none`,
        );
      return 'none';
    },
    noop: () => undefined,
  };
}
