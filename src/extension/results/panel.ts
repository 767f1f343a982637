// The results webview panel: one per window, strict CSP with a fresh crypto nonce, resources only
// from the bundle folder, typed messages both ways, restored after a reload by the serializer (the
// page keeps its own state with setState).
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { BenchResult } from '../../core/bench/types.js';
import type { BeforeAfterComparison } from '../../core/profile/compare.js';
import { webviewHtml } from '../../protocol/webviewHtml.js';
import {
  isFromWebview,
  type FromWebview,
  type HistoryEntry,
  type ToWebview,
} from '../../protocol/messages.js';

export const RESULTS_VIEW_TYPE = 'hotloop.results';

export type MessageHandler = (msg: FromWebview, panel: ResultsPanel) => void | Promise<void>;

export function panelOptions(dist: string): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.file(dist)], retainContextWhenHidden: false };
}

export class ResultsPanel implements vscode.Disposable {
  private static current: ResultsPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private pending: ToWebview | undefined;
  private ready = false;
  /** The result on screen (for re-run and export). */
  result: BenchResult | undefined;

  private constructor(
    readonly panel: vscode.WebviewPanel,
    dist: string,
    onMessage: MessageHandler,
    log: vscode.LogOutputChannel,
  ) {
    const webview = panel.webview;
    webview.options = panelOptions(dist);
    const asUri = (file: string): string =>
      webview.asWebviewUri(vscode.Uri.joinPath(vscode.Uri.file(dist), file)).toString();
    webview.html = webviewHtml({
      scriptUri: asUri('webview.js'),
      styleUri: asUri('webview.css'),
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
    });
    this.disposables.push(
      panel.onDidDispose(() => {
        this.dispose();
      }),
      webview.onDidReceiveMessage((raw: unknown) => {
        if (!isFromWebview(raw)) {
          log.warn(`results webview: ignored a malformed message ${JSON.stringify(raw)}`);
          return;
        }
        if (raw.type === 'ready') {
          this.ready = true;
          if (this.pending) void webview.postMessage(this.pending);
          this.pending = undefined;
        }
        Promise.resolve(onMessage(raw, this)).catch((err: unknown) => {
          log.error(err instanceof Error ? err : String(err));
          void vscode.window.showErrorMessage(`Hotloop: ${err instanceof Error ? err.message : String(err)}`);
        });
      }),
    );
  }

  /** The open panel (revealed) or a new one. */
  static show(dist: string, onMessage: MessageHandler, log: vscode.LogOutputChannel): ResultsPanel {
    if (ResultsPanel.current) {
      ResultsPanel.current.panel.reveal(undefined, true);
      return ResultsPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      RESULTS_VIEW_TYPE,
      'Hotloop results',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      panelOptions(dist),
    );
    return (ResultsPanel.current = new ResultsPanel(panel, dist, onMessage, log));
  }

  /** Re-attaches a panel VS Code restored after a reload. */
  static revive(
    panel: vscode.WebviewPanel,
    dist: string,
    onMessage: MessageHandler,
    log: vscode.LogOutputChannel,
  ): ResultsPanel {
    ResultsPanel.current?.dispose();
    return (ResultsPanel.current = new ResultsPanel(panel, dist, onMessage, log));
  }

  static get open(): ResultsPanel | undefined {
    return ResultsPanel.current;
  }

  /** Sends a message now, or once the page has said it is ready. */
  post(msg: ToWebview): void {
    if (msg.type === 'show') this.result = msg.result;
    if (this.ready) void this.panel.webview.postMessage(msg);
    else if (
      msg.type === 'show' ||
      msg.type === 'comparison' ||
      !this.pending ||
      (this.pending.type !== 'show' && this.pending.type !== 'comparison')
    )
      this.pending = msg;
  }

  showResult(result: BenchResult, history: readonly HistoryEntry[]): void {
    this.post({ type: 'show', result, history });
  }

  /** Shows a before/after comparison (src/extension/profile/beforeAfter.ts). */
  showComparison(comparison: BeforeAfterComparison): void {
    this.post({ type: 'comparison', comparison });
  }

  dispose(): void {
    if (ResultsPanel.current === this) ResultsPanel.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
