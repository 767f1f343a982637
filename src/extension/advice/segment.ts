// The advice lens segment as a plain function (no vscode: unit-testable): measured numbers from a
// saved benchmark of the loop's kernel beat the prediction; the prediction's n is the profiled
// array length when a stored profile saw the loop, else the literal trip count, else 1e5.
import type { LoopFacts } from '../../core/analysis/types.js';
import type { Calibration } from '../../core/advice/calibrate.js';
import { adviseKernel, adviceSummary } from '../../core/advice/predict.js';
import type { BenchResult } from '../../core/bench/types.js';
import type { LensSegment } from '../contributions.js';
import { measuredSummary, resultForLoop } from './evidence.js';

/** Size the lens predicts at when the loop has no literal trip count and no profile (the CLI's default too). */
export const LENS_DEFAULT_N = 100_000;

export function sizeForLens(loop: LoopFacts, profiled?: ReadonlyMap<string, number>): number {
  const seen = profiled?.get(loop.id);
  if (seen !== undefined && seen > 0) return seen;
  const t = loop.tripCount;
  const v = t !== undefined && /^\d[\d_]*$/.test(t) ? Number(t.replaceAll('_', '')) : NaN;
  return Number.isFinite(v) && v > 0 ? v : LENS_DEFAULT_N;
}

/** The lens segment for one loop (plain function: unit-testable without VS Code). Measured beats predicted. */
export function adviceSegment(
  loop: LoopFacts,
  cal: Calibration | undefined,
  evidence: { results?: ReadonlyMap<string, BenchResult>; sizes?: ReadonlyMap<string, number> } = {},
): LensSegment | undefined {
  if (!loop.kernel || loop.depth > 0) return undefined;
  const measured = evidence.results ? resultForLoop(loop, evidence.results) : undefined;
  if (measured) return { text: measuredSummary(measured), placement: 'after' };
  if (!cal) return undefined;
  const advice = adviseKernel(loop.kernel, cal, sizeForLens(loop, evidence.sizes));
  return { text: adviceSummary(advice), placement: 'after' };
}
