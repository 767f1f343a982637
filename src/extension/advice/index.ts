// The advice feature: a lens segment with the best predicted rewrite ("→ native ~2.3× at n≈1e5
// (predicted)"), from the calibrated cost model. The calibration (a few seconds the first time, then
// cached in the extension's global storage) is loaded from the engine bundle after the first lens
// asks, off the activation path; the lens refreshes when it is ready.
import * as vscode from 'vscode';
import type { LoopFacts } from '../../core/analysis/types.js';
import type { Calibration } from '../../core/advice/calibrate.js';
import { adviseKernel, adviceSummary } from '../../core/advice/predict.js';
import type { LensContributor, LensSegment } from '../contributions.js';
import type { Services } from '../services.js';

/** Size the lens predicts at when the loop has no literal trip count (the CLI's default too). */
export const LENS_DEFAULT_N = 100_000;

export function sizeForLens(loop: LoopFacts): number {
  const t = loop.tripCount;
  const v = t !== undefined && /^\d[\d_]*$/.test(t) ? Number(t.replaceAll('_', '')) : NaN;
  return Number.isFinite(v) && v > 0 ? v : LENS_DEFAULT_N;
}

/** The lens segment for one loop under a calibration (plain function: unit-testable without VS Code). */
export function adviceSegment(loop: LoopFacts, cal: Calibration): LensSegment | undefined {
  if (!loop.kernel || loop.depth > 0) return undefined;
  const advice = adviseKernel(loop.kernel, cal, sizeForLens(loop));
  return { text: adviceSummary(advice), placement: 'after' };
}

export function registerAdviceFeature(services: Services, context: vscode.ExtensionContext): void {
  const changed = new vscode.EventEmitter<void>();
  let cal: Calibration | undefined;
  let state: 'idle' | 'loading' | 'failed' = 'idle';
  const load = (): void => {
    state = 'loading';
    setTimeout(() => {
      services.engine()
        .loadCalibration({ cacheDir: vscode.Uri.joinPath(services.storage.global, 'advice').fsPath, logger: services.log })
        .then((c) => { cal = c; state = 'idle'; services.log.info(`advice: calibration of ${c.createdAt} (${c.cpu}, Node ${c.node})`); changed.fire(); })
        .catch((e: unknown) => { state = 'failed'; services.log.warn(`advice: calibration failed: ${e instanceof Error ? e.message : String(e)}`); });
    }, 0);
  };
  const contributor: LensContributor = {
    segments(loop: LoopFacts): readonly LensSegment[] {
      if (!loop.kernel || loop.depth > 0) return [];
      if (!cal) {
        if (state === 'idle') load();
        return [];
      }
      const seg = adviceSegment(loop, cal);
      return seg ? [seg] : [];
    },
    onDidChange: changed.event,
  };
  context.subscriptions.push(changed, services.lenses.register(contributor));
}
