// Extension points between the rooms of the extension: the lens provider (analysis) asks every
// registered contributor for extra segments, so profiling (heat) and advice (suggestions) add to
// the same lens without the lens provider knowing about them.
import type * as vscode from 'vscode';
import type { LoopFacts } from '../core/analysis/types.js';

export interface LensSegment {
  /** Short text joined into the lens title with " · ", e.g. "41 % CPU". */
  readonly text: string;
  /** Optional extra lens (its own command) shown after the main one, e.g. "Scaffold wasm…". */
  readonly command?: vscode.Command;
}

export interface LensContributor {
  /** Segments for one loop of a document; called on every lens refresh, so keep it cheap. */
  segments(loop: LoopFacts, document: vscode.TextDocument): readonly LensSegment[];
  /** Fires when this contributor's segments changed (a new profile, a finished benchmark). */
  readonly onDidChange: vscode.Event<void>;
}
