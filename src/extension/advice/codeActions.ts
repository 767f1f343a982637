// Light-bulb actions on translatable loops: "Hotloop: rewrite as native (predicted 2.3×)" per target
// predicted to win by the margin, best first (scaffold + apply), scaffold-only for async targets and
// for loops that are only part of their function, and the cheap JS-level fix when the model
// suggests it. Computed from the cached analysis and the loaded calibration only (no heavy work).
import * as vscode from 'vscode';
import { registerCommand } from '../commandRegistry.js';
import type { LoopFacts } from '../../core/analysis/types.js';
import type { Calibration } from '../../core/advice/calibrate.js';
import { adviseKernel, type TargetPrediction } from '../../core/advice/predict.js';
import { formatN, formatSpeedup } from '../../core/format.js';
import type { Services } from '../services.js';
import { applyCommandId, type ApplyArgs } from './applyCommand.js';

export const explainCommandId = 'hotloop.adviceExplain';

/** Targets whose wrapper keeps the original's synchronous signature (applied in place). */
const SYNC_TARGETS = new Set(['native', 'wasm']);
const SCAFFOLD_TARGETS = new Set(['native', 'wasm', 'worker', 'gpu']);

export interface AdviceSource {
  calibration(): Calibration | undefined;
  sizeFor(loop: LoopFacts): number;
}

/** The cursor (or selection start) is on a line of the loop, or the selection covers its start. */
function contains(loop: LoopFacts, range: vscode.Range): boolean {
  const line = range.start.line;
  return (
    (line >= loop.range.start.line && line <= loop.range.end.line) ||
    range.contains(new vscode.Position(loop.range.start.line, loop.range.start.character))
  );
}

/** The actions for one loop (pure apart from the vscode types; best prediction first). */
export function actionsForLoop(
  loop: LoopFacts,
  document: vscode.TextDocument,
  cal: Calibration,
  n: number,
): vscode.CodeAction[] {
  if (!loop.kernel || loop.depth > 0) return [];
  const advice = adviseKernel(loop.kernel, cal, n);
  const whole = loop.kernel.name === loop.functionName;
  const out: vscode.CodeAction[] = [];
  const wins = advice.predictions.filter(
    (p): p is TargetPrediction & { speedup: number } => p.suggested && p.speedup !== undefined,
  );
  for (const p of wins) {
    const speed = `predicted ${formatSpeedup(p.speedup)} at n≈${formatN(n)}`;
    if (p.target === 'js-typed') {
      const a = new vscode.CodeAction(
        `Hotloop: pass a Float64Array instead of number[] (${speed})`,
        vscode.CodeActionKind.RefactorRewrite,
      );
      a.command = { command: explainCommandId, title: 'Explain', arguments: [p.reason] };
      out.push(a);
      continue;
    }
    if (!SCAFFOLD_TARGETS.has(p.target)) continue;
    const inPlace = whole && SYNC_TARGETS.has(p.target);
    const a = new vscode.CodeAction(
      inPlace
        ? `Hotloop: rewrite as ${p.target} (${speed})`
        : `Hotloop: scaffold a ${p.target} rewrite (${speed}${whole ? '; async: change the call sites' : ''})`,
      vscode.CodeActionKind.RefactorRewrite,
    );
    a.command = inPlace
      ? {
          command: applyCommandId,
          title: a.title,
          tooltip: p.reason,
          arguments: [
            {
              uri: document.uri,
              loopId: loop.id,
              target: p.target as ApplyArgs['target'],
              documentVersion: document.version,
              scaffold: true,
            } satisfies ApplyArgs,
          ],
        }
      : {
          command: 'hotloop.scaffold',
          title: a.title,
          tooltip: p.reason,
          arguments: [{ uri: document.uri, loopId: loop.id, target: p.target }],
        };
    out.push(a);
  }
  if (out[0]) out[0].isPreferred = true;
  return out;
}

export function registerAdviceCodeActions(
  services: Services,
  source: AdviceSource,
  selector: vscode.DocumentSelector,
): vscode.Disposable {
  const provider: vscode.CodeActionProvider = {
    provideCodeActions(document, range, context) {
      if (context.only && !vscode.CodeActionKind.RefactorRewrite.intersects(context.only)) return [];
      const cal = source.calibration();
      const analysis = services.analyses.peek(document);
      if (!cal || !analysis) return [];
      return analysis.loops
        .filter((l) => contains(l, range))
        .flatMap((l) => actionsForLoop(l, document, cal, source.sizeFor(l)));
    },
  };
  return vscode.Disposable.from(
    vscode.languages.registerCodeActionsProvider(selector, provider, {
      providedCodeActionKinds: [vscode.CodeActionKind.RefactorRewrite],
    }),
    registerCommand(services, explainCommandId, (reason) =>
      vscode.window.showInformationMessage(`Hotloop: ${typeof reason === 'string' ? reason : 'no advice'}`),
    ),
  );
}
