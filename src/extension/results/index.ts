// The benchmarks feature of the extension: commands Benchmark…, Open results, Reproduce the
// Python-vs-C table; the results panel and its serializer. Heavy work goes through the lazily loaded
// engine (services.engine()); anything that runs workspace code needs a trusted workspace.
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { registerCommand } from '../commandRegistry.js';
import type { BenchOptions, BenchResult, BenchSpec } from '../../core/bench/types.js';
import { toHistory, type FromWebview } from '../../protocol/messages.js';
import { signalFromToken, isCancelled } from '../cancellation.js';
import type { Services } from '../services.js';
import { ResultsPanel, RESULTS_VIEW_TYPE, panelOptions, type MessageHandler } from './panel.js';
import { pickBenchSpec } from './pickSpec.js';
import { benchmarkLens, isLoopBenchArgs, type LoopBenchArgs } from './lens.js';

export const BENCH_COMMANDS = {
  benchmark: 'hotloop.benchmark',
  sweep: 'hotloop.benchmarkSweep',
  openResults: 'hotloop.openResults',
  talkTable: 'hotloop.reproduceTalkTable',
} as const;

/** What produced each result shown, so "re-run" can repeat it. */
type Rerun =
  | {
      readonly kind: 'spec';
      readonly spec: BenchSpec;
      readonly options?: BenchOptions;
      readonly notes?: readonly string[];
      readonly sweepMaxN?: number;
    }
  | { readonly kind: 'talk' };

/** Largest n of the size sweep from VS Code (time-bounded; the CLI's `--max-n` goes to 1e7). */
const SWEEP_MAX_N = 1_000_000;

/** Lens benchmarks: short enough to wait for (a few seconds per variant). */
const LENS_OPTIONS: BenchOptions = { samples: 15, sampleMs: 10, warmupMs: 50, timeoutMs: 90_000 };

function isSpec(x: unknown): x is BenchSpec {
  const s = x as Partial<BenchSpec> | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.kernel === 'string' &&
    Array.isArray(s.variants) &&
    typeof s.n === 'number'
  );
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
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        const bridge = signalFromToken(token);
        const signal = bridge.signal;
        let last = 0;
        const onProgress = (fraction: number, message: string): void => {
          progress.report({ message, increment: Math.max(0, (fraction - last) * 100) });
          last = Math.max(last, fraction);
          panel.post({ type: 'progress', fraction, message });
        };
        try {
          const ran =
            how.kind === 'talk'
              ? await engine.runTalkTable({}, { signal, log, onProgress })
              : await engine.runBench(how.spec, how.options ?? {}, { signal, log, onProgress });
          const swept =
            how.kind === 'spec' && how.sweepMaxN
              ? {
                  ...ran,
                  sweep: await engine.runSweep(
                    how.spec,
                    { maxN: how.sweepMaxN, timeoutMs: 240_000 },
                    {
                      signal,
                      log,
                      onProgress: (f, m) => {
                        onProgress(0.5 + f / 2, m);
                      },
                    },
                  ),
                }
              : ran;
          const result =
            how.kind === 'spec' && how.notes?.length
              ? { ...swept, notes: [...swept.notes, ...how.notes] }
              : swept;
          reruns.set(result.id, how);
          const root = workspaceRoot();
          if (root) log.info(`benchmark saved to ${await engine.saveResult(root, result)}`);
          panel.showResult(result, await historyOf(result));
          return result;
        } catch (err) {
          const message =
            isCancelled(err) || signal.aborted
              ? 'Benchmark cancelled.'
              : `Benchmark failed: ${err instanceof Error ? err.message : String(err)}`;
          log.warn(message);
          panel.post({ type: 'error', message });
          if (!signal.aborted)
            void vscode.window.showErrorMessage(`Hotloop: ${message}`, 'Show log').then((c) => {
              if (c) log.show();
            });
          return undefined;
        } finally {
          bridge.dispose();
        }
      },
    );
  }

  const onMessage: MessageHandler = async (msg: FromWebview, panel) => {
    switch (msg.type) {
      case 'ready':
        return;
      case 'openSource': {
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(msg.location.file));
        const pos = new vscode.Position(Math.max(0, msg.location.line - 1), 0);
        await vscode.window.showTextDocument(doc, {
          viewColumn: vscode.ViewColumn.One,
          selection: new vscode.Range(pos, pos),
        });
        return;
      }
      case 'rerun': {
        const how =
          reruns.get(msg.resultId) ?? (msg.kernel === 'talk-table' ? { kind: 'talk' as const } : undefined);
        if (!how) {
          void vscode.window.showInformationMessage(
            'Hotloop: this result came from an earlier session; run the benchmark again from its lens or “Hotloop: Benchmark…”.',
          );
          return;
        }
        await run(
          how.kind === 'talk' ? 'Hotloop: the Python-vs-C table' : `Hotloop: benchmarking ${how.spec.kernel}`,
          how,
        );
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
        const text =
          msg.format === 'markdown'
            ? engine.toMarkdown(result)
            : msg.format === 'csv'
              ? engine.toCsv(result)
              : JSON.stringify(result, null, 1) + '\n';
        await writeFile(target.fsPath, text);
        log.info(`exported ${msg.format} to ${target.fsPath}`);
        return;
      }
    }
  };

  /** The benchmark of one loop of a file (the lens): its spec from the engine, run with short options. */
  async function runLoop(
    args: LoopBenchArgs | undefined,
    options?: BenchOptions,
    sweep = false,
  ): Promise<BenchResult | undefined> {
    if (!services.requireTrust('Benchmarking')) return undefined;
    const uri = args
      ? /^\w[\w+.-]+:/.test(args.uri)
        ? vscode.Uri.parse(args.uri)
        : vscode.Uri.file(args.uri)
      : vscode.window.activeTextEditor?.document.uri;
    if (!uri) {
      void vscode.window.showWarningMessage(
        'Hotloop: open a TypeScript or JavaScript file with a translatable loop first.',
      );
      return undefined;
    }
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    const loops = services.analyses
      .analyzeNow(document)
      .loops.filter((l) => l.kernel && l.verdict.translatable);
    const loop = args
      ? loops.find((l) => l.id === args.loopId)
      : loops.length <= 1
        ? loops[0]
        : (
            await vscode.window.showQuickPick(
              loops.map((l) => ({
                label: `${l.functionName}: line ${l.range.start.line + 1}`,
                description: l.verdict.translatable ? l.verdict.pattern : '',
                l,
              })),
              { title: sweep ? 'Benchmark size sweep: which loop?' : 'Benchmark: which loop?' },
            )
          )?.l;
    if (!args && !loop && loops.length > 1) return undefined;
    if (!loop?.kernel || !folder) {
      const why = !folder
        ? `${uri.fsPath} is not inside a workspace folder`
        : `no translatable loop${args ? ` '${args.loopId}'` : ''} in ${vscode.workspace.asRelativePath(uri)}`;
      log.warn(`benchmark: ${why}`);
      void vscode.window.showWarningMessage(`Hotloop: ${why}`);
      return undefined;
    }
    let made: { spec: BenchSpec; notes: string[] };
    try {
      made = await services.engine().loopBenchSpec({
        kernel: loop.kernel,
        workspaceRoot: folder.uri.fsPath,
        outputDir: services.settings.get('scaffold.outputDir'),
        ...(args?.n ? { n: args.n } : {}),
        sweep,
        source: { file: uri.fsPath, line: loop.range.start.line + 1 },
      });
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      log.warn(`benchmark: ${why}`);
      void vscode.window.showWarningMessage(`Hotloop: ${why}`);
      return undefined;
    }
    const { spec, notes } = made;
    return run(`Hotloop: ${sweep ? 'size sweep of' : 'benchmarking'} ${spec.kernel}`, {
      kind: 'spec',
      spec,
      options: { ...LENS_OPTIONS, ...options },
      notes,
      ...(sweep ? { sweepMaxN: args?.maxN ?? SWEEP_MAX_N } : {}),
    });
  }

  const lensChanged = new vscode.EventEmitter<void>();
  context.subscriptions.push(
    lensChanged,
    services.lenses.register(benchmarkLens(BENCH_COMMANDS.benchmark, lensChanged)),
    vscode.window.registerWebviewPanelSerializer(RESULTS_VIEW_TYPE, {
      deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
        // The page restores its result from its own state (setState); the host only re-attaches.
        panel.webview.options = panelOptions(dist);
        ResultsPanel.revive(panel, dist, onMessage, log);
        return Promise.resolve();
      },
    }),
    // The lens passes a loop ({ uri, loopId }), other features a BenchSpec (and optionally BenchOptions); the palette asks.
    registerCommand(services, BENCH_COMMANDS.benchmark, async (spec, options) => {
      if (isLoopBenchArgs(spec)) return runLoop(spec, options as BenchOptions | undefined);
      const chosen = isSpec(spec) ? spec : await pickBenchSpec(workspaceRoot());
      if (!chosen) return undefined;
      return chosen === 'talk'
        ? run('Hotloop: the Python-vs-C table', { kind: 'talk' })
        : run(`Hotloop: benchmarking ${chosen.kernel}`, {
            kind: 'spec',
            spec: chosen,
            ...(options ? { options: options } : {}),
          });
    }),
    // "Benchmark size sweep…": one loop (the lens's arguments, or the active editor's) at log-spaced n, with crossovers.
    registerCommand(services, BENCH_COMMANDS.sweep, (args, options) =>
      runLoop(isLoopBenchArgs(args) ? args : undefined, options as BenchOptions | undefined, true),
    ),
    registerCommand(services, BENCH_COMMANDS.talkTable, () =>
      run('Hotloop: the Python-vs-C table', { kind: 'talk' }),
    ),
    registerCommand(services, BENCH_COMMANDS.openResults, async () => {
      const panel = ResultsPanel.show(dist, onMessage, log);
      const root = workspaceRoot();
      const latest = root ? await services.engine().latestResult(root) : undefined;
      if (latest) panel.showResult(latest, await historyOf(latest));
      return latest?.id;
    }),
  );
}
