// The interpreter's iteration budget: a kernel run (the reference, the input probe) that loops past it
// ends with a clear error instead of hanging whoever runs it.
/**
 * The most loop iterations (all loops of a run together) `runKernel` allows by default: a kernel
 * whose loop does not end on some inputs (a convergence loop on NaN) ends with a
 * {@link KernelBudgetError} instead of hanging the analysis, a check or a test.
 */
export const DEFAULT_RUN_BUDGET = 1e9;
/** The default budget of `probeKernel` (sizing inputs: small arrays, so far fewer iterations). */
export const DEFAULT_PROBE_BUDGET = 1e8;

/** A kernel ran more loop iterations than its budget allows (its loop may never end on these inputs). */
export class KernelBudgetError extends Error {
  readonly kernel: string;
  readonly budget: number;
  constructor(kernel: string, budget: number, loop: string) {
    super(
      `kernel '${kernel}': more than ${budget} loop iterations (in the loop over '${loop}'); ` +
        'a loop may never end on these inputs, so the run was stopped',
    );
    this.name = 'KernelBudgetError';
    this.kernel = kernel;
    this.budget = budget;
  }
}

/** Options of a run. */
export interface RunOptions {
  /** Most loop iterations, all loops together (default {@link DEFAULT_RUN_BUDGET}). */
  readonly maxIterations?: number;
}

/**
 * The run under way (the interpreter is synchronous: one run at a time): its kernel, its budget and
 * the iterations it has left. Every loop iteration of the interpreter takes one.
 */
export const run: { kernel: string; budget: number; remaining: number } = {
  kernel: '',
  budget: Infinity,
  remaining: Infinity,
};

/** Runs `f` with a fresh iteration budget, restoring the outer one after (a run inside a run). */
export function withBudget<T>(kernel: string, budget: number, f: () => T): T {
  const saved = { ...run };
  Object.assign(run, { kernel, budget, remaining: budget });
  try {
    return f();
  } finally {
    Object.assign(run, saved);
  }
}
