// Status bar: the profile in use and its age ("🔥 41 % · cpu-bound · 5 min ago"), stale marked.
import * as vscode from 'vscode';
import { pct } from '../../core/format.js';
import type { ProfileState } from './state.js';

/** "just now", "5 min ago", "3 h ago", "2 d ago". */
export function age(iso: string, now = Date.now()): string {
  const s = Math.max(0, (now - Date.parse(iso)) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

export class ProfileStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'hotloop.profile',
    vscode.StatusBarAlignment.Left,
    10,
  );
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly listener: vscode.Disposable;

  constructor(private readonly state: ProfileState) {
    this.item.name = 'Hotloop profile';
    this.item.command = 'hotloop.showHotLoops';
    this.listener = state.onDidChange(() => {
      this.update();
    });
    this.timer = setInterval(() => {
      this.update();
    }, 60_000);
    this.update();
  }

  update(): void {
    const r = this.state.current;
    if (!r) {
      this.item.hide();
      return;
    }
    const top = r.loops[0];
    const stale = this.state.staleCount > 0;
    this.item.text = `$(flame) ${top ? `${pct(top.totalShare)} · ` : ''}${r.verdict.kind} · ${age(r.createdAt)}${stale ? ' · stale' : ''}`;
    const tip = new vscode.MarkdownString();
    tip.appendMarkdown(
      `**Hotloop profile** of \`${r.label}\` (${r.source === 'import' ? 'imported' : 'run'} ${age(r.createdAt)})\n\n`,
    );
    tip.appendMarkdown(`${r.verdict.advice}\n\n`);
    if (top)
      tip.appendMarkdown(
        `Hottest loop: \`${top.functionName}\` in ${top.file}:${top.range.start.line + 1} (${pct(top.totalShare)} of CPU)\n\n`,
      );
    if (stale)
      tip.appendMarkdown(
        `$(warning) ${this.state.staleCount} file(s) changed since: the profile is stale there. Run **Hotloop: Profile…** again.\n\n`,
      );
    tip.supportThemeIcons = true;
    this.item.tooltip = tip;
    this.item.show();
  }

  dispose(): void {
    clearInterval(this.timer);
    this.listener.dispose();
    this.item.dispose();
  }
}
