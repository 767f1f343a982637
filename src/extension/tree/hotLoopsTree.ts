// The "Hot loops" tree view (explorer): a workspace scan with the engine's analyzePath (exclude
// setting, .gitignore, maxFiles), progress with cancellation, files → loops, click reveals the loop,
// the saved file re-analysed on save, ranked by heat when a HeatSource is registered.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FileAnalysis } from '../../core/analysis/types.js';
import { isCancelled, signalFromToken } from '../cancellation.js';
import { documentSelector } from '../documentAnalysis.js';
import type { Services } from '../services.js';
import { buildTree, fileRow, loopRow, type FileNode, type TreeNode } from './treeModel.js';

export const hotLoopsViewId = 'hotloop.hotLoops';

const emptyMessage =
  'No loops found in the TypeScript and JavaScript files of this workspace. Rescan with the ↻ button.';

/** Files per analyzePath call during a workspace scan. */
const scanBatch = 40;

interface Entry {
  readonly uri: vscode.Uri;
  readonly analysis: FileAnalysis;
}

export class HotLoopsTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  /** Keyed by workspace-relative path (what the tree shows). */
  private entries = new Map<string, Entry>();
  private scanned = false;
  private scanning: Promise<void> | undefined;
  private roots: FileNode[] = [];
  /** The view showing this tree (set by registerHotLoopsTree), for its progress message. */
  view: vscode.TreeView<TreeNode> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly services: Services) {
    this.subscriptions.push(
      services.heat.onDidChange(() => {
        this.rebuild();
      }),
      vscode.workspace.onDidSaveTextDocument((d) => {
        this.onSaved(d);
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        if (this.scanned) void this.scan(false);
      }),
      services.settings.onDidChange((keys) => {
        if (this.scanned && keys.some((k) => k.startsWith('analysis.'))) void this.scan(false);
      }),
    );
  }

  /**
   * Scans every workspace folder (one scan at a time). A scan the user asked for shows a cancellable
   * progress notification; the automatic first scan (the view became visible) shows progress in the view only.
   */
  scan(interactive = true): Promise<void> {
    const options: vscode.ProgressOptions = interactive
      ? {
          location: vscode.ProgressLocation.Notification,
          title: 'Hotloop: analysing the workspace',
          cancellable: true,
        }
      : { location: { viewId: hotLoopsViewId }, title: 'Hotloop: analysing the workspace' };
    if (!this.scanning) {
      // A message hides the welcome ("No loops found…") while the first scan runs.
      if (this.view && !this.scanned) this.view.message = 'Analysing the workspace…';
      this.scanning = Promise.resolve(
        vscode.window.withProgress(options, (progress, token) => this.scanFolders(progress, token)),
      ).finally(() => {
        this.scanning = undefined;
        // The view's message also stands in for an empty tree (no `viewsWelcome`, so no welcome flashes before the first scan).
        if (this.view) this.view.message = this.scanned && this.roots.length === 0 ? emptyMessage : undefined;
      });
    }
    return this.scanning;
  }

  private async scanFolders(
    progress: vscode.Progress<{ message?: string; increment?: number }>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const { settings, log } = this.services;
    const bridge = signalFromToken(token);
    const next = new Map<string, Entry>();
    const t0 = performance.now();
    try {
      const engine = this.services.engine();
      const maxFiles = settings.get('analysis.maxFiles');
      let budget = maxFiles;
      for (const folder of folders) {
        const root = folder.uri.fsPath;
        progress.report({ message: `${folder.name}: listing files` });
        let files = await engine.expandPaths([root], {
          exclude: settings.get('analysis.exclude'),
          signal: bridge.signal,
        });
        if (files.length > budget) {
          log.warn(
            `workspace scan: ${files.length - budget} files of ${folder.name} skipped (hotloop.analysis.maxFiles = ${maxFiles})`,
          );
          void vscode.window.showWarningMessage(
            `Hotloop analysed the first ${maxFiles} files only. Raise hotloop.analysis.maxFiles or exclude folders with hotloop.analysis.exclude.`,
          );
          files = files.slice(0, budget);
        }
        budget -= files.length;
        // Batches keep the extension host responsive and the scan cancellable between them.
        for (let k = 0; k < files.length; k += scanBatch) {
          bridge.signal.throwIfAborted();
          progress.report({
            message: `${folder.name}: ${k}/${files.length} files`,
            increment:
              (100 * Math.min(scanBatch, files.length - k)) / Math.max(1, files.length) / folders.length,
          });
          const batch = await engine.analyzePath(files.slice(k, k + scanBatch), {
            rootDir: root,
            signal: bridge.signal,
            logger: log,
            maxFileBytes: settings.get('analysis.maxFileSizeMB') * 1024 * 1024,
          });
          for (const analysis of batch) {
            const uri = vscode.Uri.file(
              path.isAbsolute(analysis.file) ? analysis.file : path.join(root, analysis.file),
            );
            next.set(vscode.workspace.asRelativePath(uri, folders.length > 1), { uri, analysis });
          }
          await new Promise((resolve) => setImmediate(resolve));
        }
        if (budget <= 0 || token.isCancellationRequested) break;
      }
      if (token.isCancellationRequested) {
        log.info('workspace scan cancelled');
        return;
      }
      this.entries = next;
      this.scanned = true;
      const loops = [...next.values()].reduce((n, e) => n + e.analysis.loops.length, 0);
      log.info(
        `workspace scan: ${next.size} files, ${loops} loops in ${(performance.now() - t0).toFixed(0)} ms`,
      );
      this.rebuild();
    } catch (err) {
      if (isCancelled(err)) {
        log.info('workspace scan cancelled');
        return;
      }
      const message = err instanceof Error ? err.message : String(err);
      log.error(`workspace scan failed: ${message}`);
      void vscode.window
        .showErrorMessage(`Hotloop: the workspace scan failed: ${message}`, 'Show log')
        .then((c) => {
          if (c) log.show();
        });
    } finally {
      bridge.dispose();
    }
  }

  /** Re-analyses a saved file that the scan covers (or that no exclude pattern skips). */
  private onSaved(document: vscode.TextDocument): void {
    if (!this.scanned || vscode.languages.match(documentSelector, document) === 0) return;
    if (!vscode.workspace.getWorkspaceFolder(document.uri)) return;
    const key = vscode.workspace.asRelativePath(
      document.uri,
      (vscode.workspace.workspaceFolders?.length ?? 0) > 1,
    );
    const excluded = this.services.settings
      .get('analysis.exclude')
      .some((pattern) => vscode.languages.match({ pattern }, document) > 0);
    if (!this.entries.has(key) && excluded) return;
    try {
      const analysis = this.services.analyses.analyzeNow(document);
      this.entries.set(key, { uri: document.uri, analysis });
      this.rebuild();
    } catch (err) {
      this.services.log.error(
        `could not refresh ${key} in the Hot loops view: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  private rebuild(): void {
    const analyses = [...this.entries].map(([file, e]) => ({ ...e.analysis, file }));
    const heat = this.services.heat.active ? (id: string) => this.services.heat.share(id) : undefined;
    this.roots = buildTree(analyses, heat ? { heat } : {});
    this.emitter.fire(undefined);
  }

  /** The current tree (for tests and commands). */
  get files(): readonly FileNode[] {
    return this.roots;
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (!node) {
      // Never block the view on the scan: it refreshes itself (onDidChangeTreeData) when done.
      if (!this.scanned) void this.scan(false);
      return [...this.roots];
    }
    return node.kind === 'file' ? [...node.loops] : [...node.children];
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const entry = this.entries.get(node.file);
    if (node.kind === 'file') {
      const item = new vscode.TreeItem(node.file, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `file::${node.file}`;
      if (entry) item.resourceUri = entry.uri;
      item.description = fileRow(node).description;
      item.iconPath = vscode.ThemeIcon.File;
      item.contextValue = 'hotloop.file';
      return item;
    }
    const { label, description } = loopRow(node);
    const item = new vscode.TreeItem(
      label,
      node.children.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = `${node.file}::${node.loop.id}`;
    item.description = description;
    item.tooltip = `${node.loop.id}\n${description}`;
    item.iconPath = new vscode.ThemeIcon(
      node.heat !== undefined ? 'flame' : node.loop.verdict.translatable ? 'pass' : 'circle-slash',
    );
    item.contextValue = node.loop.verdict.translatable ? 'hotloop.loop.translatable' : 'hotloop.loop';
    if (entry) {
      const { start } = node.loop.range;
      const at = new vscode.Range(start.line, start.character, start.line, start.character);
      item.command = {
        title: 'Reveal loop',
        command: 'vscode.open',
        arguments: [entry.uri, { selection: at } satisfies vscode.TextDocumentShowOptions],
      };
    }
    return item;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.emitter.dispose();
  }
}

export function registerHotLoopsTree(
  services: Services,
  context: vscode.ExtensionContext,
): { tree: HotLoopsTree; view: vscode.TreeView<TreeNode> } {
  const tree = new HotLoopsTree(services);
  const view = vscode.window.createTreeView(hotLoopsViewId, {
    treeDataProvider: tree,
    showCollapseAll: true,
  });
  tree.view = view;
  context.subscriptions.push(tree, view);
  return { tree, view };
}
