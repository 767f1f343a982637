// Messages between the runner (parent) and a variant's child process, over the Node IPC channel.
import type { CheckOutput } from './compare.js';
import type { ArgSpec, Variant } from './types.js';

export type Stage = 'call' | 'prepare' | 'compute';

export type ToChild =
  | {
      readonly t: 'load';
      readonly id: number;
      readonly variant: Variant;
      readonly args: readonly ArgSpec[];
      readonly n: number;
      readonly seed: number;
    }
  | { readonly t: 'check'; readonly id: number }
  | {
      readonly t: 'calibrate';
      readonly id: number;
      readonly sampleMs: number;
      readonly warmupMs: number;
      readonly stage: Stage;
    }
  | {
      readonly t: 'sample';
      readonly id: number;
      readonly batch: number;
      readonly count: number;
      readonly stage: Stage;
    }
  | { readonly t: 'marshal'; readonly id: number; readonly count: number };

export type FromChild =
  /** Sent once, unasked (id 0), when the child program is up: a request's time limit starts then. */
  | { readonly t: 'ready'; readonly id: 0 }
  | { readonly t: 'loaded'; readonly id: number; readonly async: boolean }
  /** `magnitude`: Σ|x| of the largest array argument (the error scale of reassociated reductions). */
  /** `effects`: every array argument after the call, concatenated (what a void kernel computed). */
  | {
      readonly t: 'checked';
      readonly id: number;
      readonly output: CheckOutput;
      readonly magnitude: number;
      readonly effects?: CheckOutput;
    }
  | { readonly t: 'calibrated'; readonly id: number; readonly batch: number }
  /** ns per call, one per sample. */
  | { readonly t: 'samples'; readonly id: number; readonly ns: readonly number[] }
  | { readonly t: 'error'; readonly id: number; readonly message: string };

/** Largest number of output elements a child sends for the correctness check (a stride sample beyond). */
export const CHECK_MAX_ELEMENTS = 100_000;
