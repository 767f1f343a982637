// Extension points between the rooms of the extension: the lens provider (analysis) asks every
// registered contributor for extra segments, so profiling (heat) and advice (suggestions) add to
// the same lens without the lens provider knowing about them.
//
// How a feature plugs in (see extension.ts, one line per feature):
//   export function registerProfileFeature(services: Services, context: vscode.ExtensionContext): void {
//     const contributor: LensContributor = { segments: (loop) => [...], onDidChange: emitter.event };
//     context.subscriptions.push(services.lenses.register(contributor));       // lens segments / actions
//     context.subscriptions.push(services.heat.register(heatSource));           // tree ranking (profile only)
//   }
import type * as vscode from 'vscode';
import type { LoopFacts } from '../core/analysis/types.js';

export interface LensSegment {
  /** Short text joined into the lens title with " · ", e.g. "41 % CPU". */
  readonly text: string;
  /** Optional extra lens (its own command) shown after the main one, e.g. "Scaffold wasm…". */
  readonly command?: vscode.Command;
  /**
   * Where the text goes relative to the analysis verdict; default 'after'.
   * 'before' gives "Hotloop: 41 % CPU · reduction over Float64Array · translatable" (heat uses it).
   */
  readonly placement?: 'before' | 'after';
}

export interface LensContributor {
  /** Segments for one loop of a document; called on every lens refresh, so keep it cheap. */
  segments(loop: LoopFacts, document: vscode.TextDocument): readonly LensSegment[];
  /** Fires when this contributor's segments changed (a new profile, a finished benchmark). */
  readonly onDidChange: vscode.Event<void>;
}

/**
 * Per-loop CPU share from the last profile, used by the "Hot loops" tree to rank loops (hottest
 * first) and show "41 % CPU". The profile feature registers one through `services.heat.register`;
 * without one the tree lists loops in file/line order.
 */
export interface HeatSource {
  /** Share of the profile's CPU time in [0, 1] spent in the loop with this LoopFacts id, or undefined if unseen. */
  share(loopId: string): number | undefined;
  /** Fires when a new profile changed the shares. */
  readonly onDidChange: vscode.Event<void>;
}
