// CPU- vs IO-bound, made measurable: a run that mostly waits (idle) gets IO advice — concurrency
// with a limit — and never a worker or native rewrite; one that computes gets pointed at its loop.
import type { LoopHeat, RunVerdict, Shares } from './types.js';

/** Idle share at or above which a run is IO-bound. */
export const IO_BOUND_IDLE = 0.6;
/** Idle share at or below which a run is CPU-bound. */
export const CPU_BOUND_IDLE = 0.25;

const pct = (x: number): string => `${Math.round(x * 100)} %`;

/**
 * Classifies a run. `cpuShare` is the share of wall time in which some thread was busy, so a main
 * thread that idles while its workers compute still counts as CPU-bound.
 */
export function classifyRun(shares: Shares, cpuShare: number, hottest: LoopHeat | undefined): RunVerdict {
  const idleShare = 1 - cpuShare;
  const busyTotal = 1 - shares.idle;
  const gcShare = busyTotal > 0 ? shares.gc / busyTotal : 0;
  const kind = idleShare >= IO_BOUND_IDLE ? 'io-bound' : idleShare <= CPU_BOUND_IDLE ? 'cpu-bound' : 'mixed';
  const where = hottest
    ? ` The hottest loop is in ${hottest.functionName} (${hottest.file}:${hottest.range.start.line + 1}, ${pct(hottest.totalShare)} of CPU time).`
    : '';
  let advice: string;
  switch (kind) {
    case 'io-bound':
      advice = `IO-bound: the run waits ${pct(idleShare)} of its time (network, disk, timers). A worker, WebAssembly or native rewrite will not help; issue independent requests concurrently with a limit — \`hotloop advise\` finds the awaiting loops whose items are independent and rewrites them to at most 8 in flight, in order (in VS Code: the light bulb on the loop, "run the awaits concurrently") — and stream instead of buffering.`;
      break;
    case 'cpu-bound':
      advice = `CPU-bound: the run computes ${pct(cpuShare)} of its time.${where} Hot numeric loops are candidates for typed arrays, worker_threads, WebAssembly or native rewrites.`;
      break;
    case 'mixed':
      advice = `Mixed: ${pct(cpuShare)} computing, ${pct(idleShare)} waiting.${where} Overlap the waits (concurrent requests with a limit) before rewriting the compute; only the computing part can gain from a rewrite.`;
      break;
    default: {
      const never: never = kind;
      throw new Error(`unknown verdict ${String(never)}`);
    }
  }
  if (gcShare >= 0.2)
    advice += ` GC takes ${pct(gcShare)} of the CPU time: allocate less in the hot loop (reuse typed arrays, avoid temporary objects and closures).`;
  return { kind, cpuShare, gcShare, idleShare, advice };
}
