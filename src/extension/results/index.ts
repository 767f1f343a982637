// The benchmarks feature of the extension: commands Benchmark…, Open results, Reproduce the
// Python-vs-C table; the results panel and its serializer. Heavy work goes through the lazily loaded
// engine (services.engine()); anything that runs workspace code needs a trusted workspace.
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { BenchOptions, BenchResult, BenchSpec } from '../../core/bench/types.js';
import { toHistory, type FromWebview } from '../../protocol/messages.js';
import { signalFromToken, isCancelled } from '../cancellation.js';
import type { Services } from '../services.js';
import { ResultsPanel, RESULTS_VIEW_TYPE, panelOptions, type MessageHandler } from './panel.js';
import { pickBenchSpec } from './pickSpec.js';

export const BENCH_COMMANDS = { benchmark: 'hotloop.benchmark', openResults: 'hotloop.openResults', talkTable: 'hotloop.reproduceTalkTable' } as const;

/** What produced each result shown, so "re-run" can repeat it. */
type Rerun = { readonly kind: 'spec'; readonly spec: BenchSpec; readonly options?: BenchOptions } | { readonly kind: 'talk' };

function isSpec(x: unknown): x is BenchSpec {
  const s = x as Partial<BenchSpec> | null;
  return typeof s === 'object' && s !== null && typeof s.kernel === 'string' && Array.isArray(s.variants) && typeof s.n === 'number';
}

function workspaceRoot(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

export function registerResultsFeature(services: Services, context: vscode.ExtensionContext): void {
  const { log } = services;
  const dist = services.storage.dist;
  const reruns = new Map<string, Rerun>();

  async function historyOf(result: BenchResult): Promise<ReturnType<typeof toHistory>> {
    const root = workspaceRoot();
    return root ? toHistory(await services.engine().loadHistory(root, result.kernel)) : [];
  }

  async function run(title: string, how: Rerun): Promise<BenchResult | undefined> {
    if (!services.requireTrust('Benchmarking')) return undefined;
    const engine = services.engine();
    const panel = ResultsPanel.show(dist, onMessage, log);
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const bridge = signalFromToken(token);
      const signal = bridge.signal;
      let last = 0;
      const onProgress = (fraction: number, message: string): void => {
        progress.report({ message, increment: Math.max(0, (fraction - last) * 100) });
        last = Math.max(last, fraction);
        panel.post({ type: 'progress', fraction, message });
      };
      try {
        const result = how.kind === 'talk' ? await engine.runTalkTable({}, { signal, log, onProgress }) : await engine.runBench(how.spec, how.options ?? {}, { signal, log, onProgress });
        reruns.set(result.id, how);
        const root = workspaceRoot();
        if (root) log.info(`benchmark saved to ${await engine.saveResult(root, result)}`);
        panel.showResult(result, await historyOf(result));
        return result;
      } catch (err) {
        const message = isCancelled(err) || signal.aborted ? 'Benchmark cancelled.' : `Benchmark failed: ${err instanceof Error ? err.message : String(err)}`;
        log.warn(message);
        panel.post({ type: 'error', message });
        if (!signal.aborted) void vscode.window.showErrorMessage(`Hotloop: ${message}`, 'Show log').then((c) => { if (c) log.show(); });
        return undefined;
      } finally {
        bridge.dispose();
      }
    });
  }

  const onMessage: MessageHandler = async (msg: FromWebview, panel) => {
    switch (msg.type) {
      case 'ready':
        return;
      case 'openSource': {
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(msg.location.file));
        const pos = new vscode.Position(Math.max(0, msg.location.line - 1), 0);
        await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(pos, pos) });
        return;
      }
      case 'rerun': {
        const how = reruns.get(msg.resultId) ?? (msg.kernel === 'talk-table' ? { kind: 'talk' as const } : undefined);
        if (!how) {
          void vscode.window.showInformationMessage('Hotloop: this result came from an earlier session; run the benchmark again from its lens or “Hotloop: Benchmark…”.');
          return;
        }
        await run(how.kind === 'talk' ? 'Hotloop: the Python-vs-C table' : `Hotloop: benchmarking ${how.spec.kernel}`, how);
        return;
      }
      case 'export': {
        const result = panel.result;
        if (!result || result.id !== msg.resultId) return;
        const engine = services.engine();
        const ext = msg.format === 'markdown' ? 'md' : msg.format;
        const root = workspaceRoot();
        const target = await vscode.window.showSaveDialog({
          defaultUri: vscode.Uri.file(join(root ?? dirname(dist), `${result.kernel}-${result.id}.${ext}`)),
          filters: { [msg.format.toUpperCase()]: [ext] },
        });
        if (!target) return;
        const text = msg.format === 'markdown' ? engine.toMarkdown(result) : msg.format === 'csv' ? engine.toCsv(result) : JSON.stringify(result, null, 1) + '\n';
        await writeFile(target.fsPath, text);
        log.info(`exported ${msg.format} to ${target.fsPath}`);
        return;
      }
    }
  };

  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(RESULTS_VIEW_TYPE, {
      deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
        // The page restores its result from its own state (setState); the host only re-attaches.
        panel.webview.options = panelOptions(dist);
        ResultsPanel.revive(panel, dist, onMessage, log);
        return Promise.resolve();
      },
    }),
    // Lenses and other features pass a BenchSpec (and optionally BenchOptions); the palette asks.
    vscode.commands.registerCommand(BENCH_COMMANDS.benchmark, async (spec?: unknown, options?: BenchOptions) => {
      const chosen = isSpec(spec) ? spec : await pickBenchSpec(workspaceRoot());
      if (!chosen) return undefined;
      return chosen === 'talk' ? run('Hotloop: the Python-vs-C table', { kind: 'talk' }) : run(`Hotloop: benchmarking ${chosen.kernel}`, { kind: 'spec', spec: chosen, ...(options ? { options } : {}) });
    }),
    vscode.commands.registerCommand(BENCH_COMMANDS.talkTable, () => run('Hotloop: the Python-vs-C table', { kind: 'talk' })),
    vscode.commands.registerCommand(BENCH_COMMANDS.openResults, async () => {
      const panel = ResultsPanel.show(dist, onMessage, log);
      const root = workspaceRoot();
      const latest = root ? await services.engine().latestResult(root) : undefined;
      if (latest) panel.showResult(latest, await historyOf(latest));
      return latest?.id;
    }),
  );
}
