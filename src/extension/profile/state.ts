// The profile in use: the newest stored result of the workspace (reloaded on activation), which
// files changed since (stale), per-loop lookup for lenses, the tree and decorations.
import * as vscode from 'vscode';
import { relative, sep } from 'node:path';
import { loadLatestProfile, saveProfile, staleFiles } from '../../core/profile/store.js';
import type { LoopHeat, ProfileResult } from '../../core/profile/types.js';

export class ProfileState implements vscode.Disposable {
  private result: ProfileResult | undefined;
  private loops = new Map<string, LoopHeat>();
  private stale = new Set<string>();
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires when the profile in use or its staleness changed. */
  readonly onDidChange = this.emitter.event;
  private readonly disposables: { dispose(): unknown }[] = [this.emitter];

  constructor(
    /** Workspace root (first folder), undefined without a folder. */
    readonly root: string | undefined,
    private readonly log: vscode.LogOutputChannel,
  ) {
    // A saved file that the profile covers may make it stale.
    this.disposables.push(
      vscode.workspace.onDidSaveTextDocument((doc) => {
        const rel = this.relative(doc.uri.fsPath);
        if (this.result?.sources.some((s) => s.file === rel)) this.refreshStale();
      }),
    );
  }

  get current(): ProfileResult | undefined {
    return this.result;
  }

  /** Loads the newest stored profile of the workspace (`.hotloop/profiles/`), if any. */
  reload(): void {
    if (!this.root) return;
    try {
      const latest = loadLatestProfile(this.root);
      if (latest) this.set(latest, false);
    } catch (err) {
      this.log.warn(`could not load stored profiles: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Uses `result` from now on; stores it under `.hotloop/profiles/` when `save`. */
  set(result: ProfileResult, save = true): void {
    if (save && this.root) {
      const file = saveProfile(this.root, result);
      this.log.info(`profile saved to ${file}`);
    }
    this.result = result;
    this.loops = new Map(result.loops.map((l) => [l.loopId, l]));
    this.refreshStale(false);
    this.emitter.fire();
  }

  loop(loopId: string): LoopHeat | undefined {
    return this.loops.get(loopId);
  }

  /** Whether the profile is stale for this file (relative to the root), i.e. it changed since. */
  isStale(relFile: string): boolean {
    return this.stale.has(relFile);
  }

  get staleCount(): number {
    return this.stale.size;
  }

  /** Path relative to the root with `/` separators (how results name files). */
  relative(fsPath: string): string {
    if (!this.root) return fsPath;
    const rel = relative(this.root, fsPath);
    return rel.startsWith('..') ? fsPath : rel.split(sep).join('/');
  }

  private refreshStale(fire = true): void {
    const before = [...this.stale].join('\n');
    this.stale = new Set(this.result && this.root ? staleFiles(this.root, this.result) : []);
    if (fire && before !== [...this.stale].join('\n')) this.emitter.fire();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
