// Per-line heat in the editor: a tinted background and an overview-ruler mark on hot lines, in three
// levels of theme colours (`hotloop.heat*`, contributed for light, dark and high-contrast themes).
import * as vscode from 'vscode';
import { pct } from '../../core/format.js';
import type { ProfileState } from './state.js';

const LEVELS = [
  { color: 'hotloop.heatLow', min: 0.02 },
  { color: 'hotloop.heatMedium', min: 0.15 },
  { color: 'hotloop.heatHigh', min: 0.5 },
] as const;

export class HeatDecorations implements vscode.Disposable {
  private readonly types: vscode.TextEditorDecorationType[];
  private readonly disposables: vscode.Disposable[] = [];
  private enabled: boolean;

  constructor(
    private readonly state: ProfileState,
    enabled: boolean,
  ) {
    this.enabled = enabled;
    this.types = LEVELS.map((l) =>
      vscode.window.createTextEditorDecorationType({
        isWholeLine: true,
        backgroundColor: new vscode.ThemeColor(l.color),
        overviewRulerColor: new vscode.ThemeColor(l.color),
        overviewRulerLane: vscode.OverviewRulerLane.Right,
      }),
    );
    this.disposables.push(
      state.onDidChange(() => {
        this.refresh();
      }),
      vscode.window.onDidChangeVisibleTextEditors(() => {
        this.refresh();
      }),
    );
    this.refresh();
  }

  get isEnabled(): boolean {
    return this.enabled;
  }

  setEnabled(on: boolean): void {
    this.enabled = on;
    this.refresh();
  }

  refresh(): void {
    for (const editor of vscode.window.visibleTextEditors) this.decorate(editor);
  }

  private decorate(editor: vscode.TextEditor): void {
    const result = this.state.current;
    const rel = this.state.relative(editor.document.uri.fsPath);
    const lines = this.enabled && result ? result.lines[rel] : undefined;
    const buckets: vscode.DecorationOptions[][] = LEVELS.map(() => []);
    if (lines && result) {
      const max = Math.max(...Object.values(lines));
      const busy = result.totalMs * (1 - result.shares.idle);
      for (const [lineText, ms] of Object.entries(lines)) {
        const line = Number(lineText);
        if (line >= editor.document.lineCount || max <= 0) continue;
        const level = LEVELS.findLastIndex((l) => ms / max >= l.min);
        if (level < 0) continue;
        const hover = new vscode.MarkdownString(
          `**Hotloop** · ${ms.toFixed(1)} ms self time on this line (${pct(busy > 0 ? ms / busy : 0)} of CPU) — ${result.label}`,
        );
        buckets[level]!.push({ range: new vscode.Range(line, 0, line, 0), hoverMessage: hover });
      }
    }
    this.types.forEach((t, i) => {
      editor.setDecorations(t, buckets[i]!);
    });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    for (const t of this.types) t.dispose();
  }
}
