// "Benchmark…" on every translatable loop's lens: runs `hotloop.benchmark` with the loop (its file and
// id); the command builds the loop's benchmark (original, JS on Float64Array, the kernel library's
// routine, every built scaffold) and shows it in the results panel.
import type * as vscode from 'vscode';
import type { LoopFacts } from '../../core/analysis/types.js';
import type { LensContributor, LensSegment } from '../contributions.js';

/** What the lens passes to `hotloop.benchmark` (and what tests can pass). */
export interface LoopBenchArgs {
  /** The source file's URI (string form) or absolute path. */
  readonly uri: string;
  readonly loopId: string;
  /** Input size (default 100,000). */
  readonly n?: number;
  /** Largest n of a size sweep (default 1,000,000). */
  readonly maxN?: number;
}

export function isLoopBenchArgs(x: unknown): x is LoopBenchArgs {
  const a = x as Partial<LoopBenchArgs> | null;
  return typeof a === 'object' && a !== null && typeof a.uri === 'string' && typeof a.loopId === 'string';
}

export function benchmarkLens(command: string, changed: vscode.EventEmitter<void>): LensContributor {
  return {
    onDidChange: changed.event,
    segments(loop: LoopFacts, document: vscode.TextDocument): readonly LensSegment[] {
      if (!loop.kernel || !loop.verdict.translatable) return [];
      return [
        {
          text: '',
          command: {
            title: 'Benchmark…',
            command,
            tooltip: `Benchmark ${loop.kernel.name}: the original vs JS on Float64Array, the kernel library and every built scaffold, side by side`,
            arguments: [{ uri: document.uri.toString(), loopId: loop.id } satisfies LoopBenchArgs],
          },
        },
      ];
    },
  };
}
