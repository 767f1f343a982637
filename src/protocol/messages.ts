// Typed messages between the extension host and the results webview (imported by both bundles).
// Discriminated unions on `type`; both sides switch exhaustively.
import type { BenchResult, SourceLocation } from '../core/bench/types.js';
import type { BeforeAfterComparison } from '../core/profile/compare.js';

/** A previous run of the same kernel, reduced to what the history chart needs. */
export interface HistoryEntry {
  readonly id: string;
  readonly createdAt: string;
  /** Median ns per call by variant label (correct variants only). */
  readonly ns: Readonly<Record<string, number>>;
}

export type ExportFormat = 'markdown' | 'csv' | 'json';

export type ToWebview =
  /** Show a result (replaces the current one) with the history of its kernel. */
  | { readonly type: 'show'; readonly result: BenchResult; readonly history: readonly HistoryEntry[] }
  /** Show a before/after comparison of a target (replaces the current view). */
  | { readonly type: 'comparison'; readonly comparison: BeforeAfterComparison }
  | { readonly type: 'progress'; readonly fraction: number; readonly message: string }
  | { readonly type: 'error'; readonly message: string };

export type FromWebview =
  | { readonly type: 'ready' }
  | { readonly type: 'openSource'; readonly location: SourceLocation }
  | { readonly type: 'rerun'; readonly kernel: string; readonly resultId: string }
  | { readonly type: 'export'; readonly format: ExportFormat; readonly resultId: string };

/** The result data a static HTML report embeds (`<script id="hotloop-data" type="application/json">`). */
export interface EmbeddedReport {
  readonly result: BenchResult;
  readonly history?: readonly HistoryEntry[];
  /** Every loop's result of an optimize run (one tab each). */
  readonly results?: readonly BenchResult[];
}

/** What the webview keeps with `setState` (and the serializer restores after a reload). */
export interface WebviewState {
  readonly version: 1;
  readonly result?: BenchResult;
  readonly history?: readonly HistoryEntry[];
  /** A before/after comparison on screen (instead of a result). */
  readonly comparison?: BeforeAfterComparison;
}

/** History entries from saved results (oldest first). */
export function toHistory(results: readonly BenchResult[]): HistoryEntry[] {
  return results.map((r) => ({
    id: r.id,
    createdAt: r.createdAt,
    ns: Object.fromEntries(r.variants.filter((v) => v.timing).map((v) => [v.label, v.timing!.median])),
  }));
}

/** Narrowing guard for messages arriving at the extension (the webview is not trusted input). */
export function isFromWebview(x: unknown): x is FromWebview {
  if (typeof x !== 'object' || x === null) return false;
  const m = x as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return true;
    case 'openSource': {
      const loc = m.location as Record<string, unknown> | undefined;
      return typeof loc === 'object' && typeof loc.file === 'string' && typeof loc.line === 'number';
    }
    case 'rerun':
      return typeof m.kernel === 'string' && typeof m.resultId === 'string';
    case 'export':
      return (
        (m.format === 'markdown' || m.format === 'csv' || m.format === 'json') &&
        typeof m.resultId === 'string'
      );
    default:
      return false;
  }
}
