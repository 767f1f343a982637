// Heat in the lens ("Hotloop: 41 % CPU · 2.1 M iter/s · reduction over Float64Array") and the
// per-loop CPU share that ranks the Hot loops tree.
import type * as vscode from 'vscode';
import type { LoopFacts } from '../../core/analysis/types.js';
import { heatText } from '../../core/profile/format.js';
import type { HeatSource, LensContributor, LensSegment } from '../contributions.js';
import type { ProfileState } from './state.js';

export function heatLensContributor(state: ProfileState): LensContributor {
  return {
    segments(loop: LoopFacts, document: vscode.TextDocument): readonly LensSegment[] {
      const result = state.current;
      const heat = result ? state.loop(loop.id) : undefined;
      if (!result || !heat) return [];
      const stale = state.isStale(state.relative(document.uri.fsPath)) ? ' (stale profile)' : '';
      const segments: LensSegment[] = [{ text: `${heatText(heat, result)}${stale}`, placement: 'before' }];
      if (result.verdict.kind === 'io-bound' && heat.waitMs > heat.totalMs) {
        segments.push({ text: 'IO-bound: run the awaits concurrently (with a limit)', placement: 'after' });
      }
      return segments;
    },
    onDidChange: state.onDidChange,
  };
}

export function heatSource(state: ProfileState): HeatSource {
  return {
    share: (loopId) => state.loop(loopId)?.totalShare,
    onDidChange: state.onDidChange,
  };
}
