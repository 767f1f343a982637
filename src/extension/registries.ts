// The registries other features plug into: lens contributors (segments + extra lens commands) and
// a heat source (per-loop CPU share for the tree). Each `register` returns a Disposable.
import * as vscode from 'vscode';
import type { HeatSource, LensContributor } from './contributions.js';

/** Registered LensContributors; `onDidChange` fires when one is added, removed, or fires its own change. */
export class LensRegistry implements vscode.Disposable {
  private readonly contributors = new Map<LensContributor, vscode.Disposable>();
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;

  register(contributor: LensContributor): vscode.Disposable {
    this.contributors.set(
      contributor,
      contributor.onDidChange(() => {
        this.emitter.fire();
      }),
    );
    this.emitter.fire();
    return new vscode.Disposable(() => {
      this.contributors.get(contributor)?.dispose();
      if (this.contributors.delete(contributor)) this.emitter.fire();
    });
  }

  all(): readonly LensContributor[] {
    return [...this.contributors.keys()];
  }

  dispose(): void {
    for (const d of this.contributors.values()) d.dispose();
    this.contributors.clear();
    this.emitter.dispose();
  }
}

/** At most one heat source at a time (the latest registered wins); `share` is undefined without one. */
export class HeatRegistry implements vscode.Disposable {
  private sources: { source: HeatSource; listener: vscode.Disposable }[] = [];
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;

  register(source: HeatSource): vscode.Disposable {
    const entry = {
      source,
      listener: source.onDidChange(() => {
        this.emitter.fire();
      }),
    };
    this.sources.push(entry);
    this.emitter.fire();
    return new vscode.Disposable(() => {
      entry.listener.dispose();
      const before = this.sources.length;
      this.sources = this.sources.filter((e) => e !== entry);
      if (this.sources.length !== before) this.emitter.fire();
    });
  }

  /** True while a heat source is registered (the tree then ranks by heat). */
  get active(): boolean {
    return this.sources.length > 0;
  }

  share(loopId: string): number | undefined {
    return this.sources.at(-1)?.source.share(loopId);
  }

  dispose(): void {
    for (const e of this.sources) e.listener.dispose();
    this.sources = [];
    this.emitter.dispose();
  }
}
