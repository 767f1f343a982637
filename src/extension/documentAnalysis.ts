// Analysis of open documents for lenses, hovers and commands: a cache keyed by document version in
// front of the engine's incremental analysis service, debounced while the user types, cancellable.
import * as vscode from 'vscode';
import type { FileAnalysis } from '../core/analysis/types.js';
import { delay, isCancelled, signalFromToken } from './cancellation.js';
import type { AnalysisService, Engine } from './engineLoader.js';
import { VersionCache, debounceWait } from './versionCache.js';

/** Languages Hotloop analyses (the lens and hover selector). */
export const documentSelector: vscode.DocumentSelector = [
  'typescript',
  'javascript',
  'typescriptreact',
  'javascriptreact',
].flatMap((language) => [
  { language, scheme: 'file' },
  { language, scheme: 'untitled' },
]);

const untitledExt: Record<string, string> = {
  typescript: '.ts',
  javascript: '.js',
  typescriptreact: '.tsx',
  javascriptreact: '.jsx',
};

/** The file name the engine sees: the path, or a synthetic one with the right extension for untitled editors. */
export function engineFileName(document: vscode.TextDocument): string {
  if (!document.isUntitled) return document.fileName;
  return `/untitled/${document.uri.path.replace(/[^\w.-]/g, '_')}${untitledExt[document.languageId] ?? '.ts'}`;
}

export interface AnalyzedEvent {
  readonly document: vscode.TextDocument;
  readonly analysis: FileAnalysis;
}

export class DocumentAnalyses implements vscode.Disposable {
  private readonly cache = new VersionCache<FileAnalysis>(64);
  private readonly lastEdit = new Map<string, number>();
  private readonly failedVersion = new Map<string, number>();
  private shownError = false;
  /** One engine service per workspace folder (ids relative to it), '' for files outside any folder. */
  private readonly services = new Map<string, AnalysisService>();
  private readonly emitter = new vscode.EventEmitter<AnalyzedEvent>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Fires after a document was (re-)analysed. */
  readonly onDidAnalyze = this.emitter.event;

  constructor(
    private readonly engine: () => Engine,
    private readonly log: vscode.LogOutputChannel,
    private readonly debounceMs = 300,
  ) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length) this.lastEdit.set(e.document.uri.toString(), Date.now());
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        const key = d.uri.toString();
        this.cache.delete(key);
        this.lastEdit.delete(key);
        this.failedVersion.delete(key);
      }),
    );
  }

  /** The analysis of the document's current version if it is cached (never computes). */
  peek(document: vscode.TextDocument): FileAnalysis | undefined {
    return this.cache.get(document.uri.toString(), document.version);
  }

  /** Analyses now (no debounce). Throws with a clear message when the engine cannot load. */
  analyzeNow(document: vscode.TextDocument): FileAnalysis {
    const key = document.uri.toString();
    const cached = this.cache.get(key, document.version);
    if (cached) return cached;
    const t0 = performance.now();
    const analysis = this.serviceFor(document).analyzeDocument({
      fileName: engineFileName(document),
      version: document.version,
      text: document.getText(),
    });
    this.cache.set(key, document.version, analysis);
    this.log.trace(
      `analysed ${vscode.workspace.asRelativePath(document.uri)} v${document.version}: ${analysis.loops.length} loops in ${(performance.now() - t0).toFixed(1)} ms`,
    );
    this.emitter.fire({ document, analysis });
    return analysis;
  }

  private serviceFor(document: vscode.TextDocument): AnalysisService {
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    const key = folder?.uri.toString() ?? '';
    let service = this.services.get(key);
    if (!service) {
      service = this.engine().createAnalysisService({
        logger: this.log,
        ...(folder ? { rootDir: folder.uri.fsPath } : {}),
      });
      this.services.set(key, service);
    }
    return service;
  }

  /**
   * The analysis for lenses and hovers: cached, or computed after the typing debounce. Resolves to
   * undefined when cancelled (a newer request superseded it) or when analysis failed (logged once per version).
   */
  async analyze(
    document: vscode.TextDocument,
    token?: vscode.CancellationToken,
  ): Promise<FileAnalysis | undefined> {
    const key = document.uri.toString();
    const cached = this.cache.get(key, document.version);
    if (cached) return cached;
    const wait = debounceWait(Date.now(), this.lastEdit.get(key), this.debounceMs);
    const bridge = signalFromToken(token);
    try {
      if (wait > 0) await delay(wait, bridge.signal);
      if (bridge.signal.aborted) return undefined;
      return this.analyzeNow(document);
    } catch (err) {
      if (isCancelled(err)) return undefined;
      if (this.failedVersion.get(key) !== document.version) {
        this.failedVersion.set(key, document.version);
        const message = err instanceof Error ? err.message : String(err);
        this.log.error(`analysis of ${vscode.workspace.asRelativePath(document.uri)} failed: ${message}`);
        if (!this.shownError) {
          // Once per session: lenses fail silently otherwise, and every keystroke would repeat it.
          this.shownError = true;
          void vscode.window
            .showErrorMessage(`Hotloop: analysis failed, so no loop lenses are shown. ${message}`, 'Show log')
            .then((c) => {
              if (c) this.log.show();
            });
        }
      }
      return undefined;
    } finally {
      bridge.dispose();
    }
  }

  /** Drops the engine's service and every cached result (the session scope's restart). */
  reset(): void {
    for (const service of this.services.values()) service.dispose();
    this.services.clear();
    this.cache.clear();
    this.failedVersion.clear();
    this.shownError = false;
  }

  dispose(): void {
    this.reset();
    for (const s of this.subscriptions) s.dispose();
    this.emitter.dispose();
  }
}
