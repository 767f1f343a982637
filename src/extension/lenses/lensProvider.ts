// Code lenses above each loop: "Hotloop: reduction over Float64Array · translatable", plus the
// segments and extra commands of registered LensContributors (heat, advice, scaffold actions).
import * as vscode from 'vscode';
import type { LoopFacts } from '../../core/analysis/types.js';
import type { LensSegment } from '../contributions.js';
import type { Services } from '../services.js';
import { lensTitle, loopsWithLens } from './lensModel.js';

/** Internal command of the main lens: put the cursor on the loop header and show its hover. */
export const explainLoopId = 'hotloop.explainLoop';

const toRange = (loop: LoopFacts): vscode.Range =>
  new vscode.Range(
    loop.range.start.line,
    loop.range.start.character,
    loop.range.start.line,
    loop.range.start.character,
  );

export class LoopLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly services: Services) {
    this.subscriptions = [
      services.lenses.onDidChange(() => {
        this.refresh();
      }),
      services.settings.onDidChange((keys) => {
        if (keys.some((k) => k.startsWith('codeLens.'))) this.refresh();
      }),
    ];
  }

  refresh(): void {
    this.emitter.fire();
  }

  async provideCodeLenses(
    document: vscode.TextDocument,
    token: vscode.CancellationToken,
  ): Promise<vscode.CodeLens[]> {
    const { settings } = this.services;
    if (!settings.get('codeLens.enabled')) return [];
    const analysis = await this.services.analyses.analyze(document, token);
    if (!analysis || token.isCancellationRequested) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const loop of loopsWithLens(analysis.loops, settings.get('codeLens.showNotTranslatable'))) {
      const segments = this.segments(loop, document);
      const range = toRange(loop);
      lenses.push(
        new vscode.CodeLens(range, {
          title: lensTitle(loop, segments),
          command: explainLoopId,
          arguments: [document.uri, loop.range.start.line, loop.range.start.character],
          tooltip: 'Show what Hotloop knows about this loop',
        }),
      );
      for (const s of segments) if (s.command) lenses.push(new vscode.CodeLens(range, s.command));
    }
    return lenses;
  }

  /** Every contributor's segments; one failing contributor is logged and skipped, never breaks the lens. */
  private segments(loop: LoopFacts, document: vscode.TextDocument): LensSegment[] {
    const out: LensSegment[] = [];
    for (const c of this.services.lenses.all()) {
      try {
        out.push(...c.segments(loop, document));
      } catch (err) {
        this.services.log.error(
          `a lens contributor failed on ${loop.id}: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }
    return out;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.emitter.dispose();
  }
}
