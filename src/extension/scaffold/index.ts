// The scaffold feature: the `hotloop.scaffold` and `hotloop.buildScaffold` commands and "Scaffold wasm… / worker… / native… / GPU…" lens actions.
import * as vscode from 'vscode';
import { registerCommand } from '../commandRegistry.js';
import type { LoopFacts } from '../../core/analysis/types.js';
import type { LensContributor, LensSegment } from '../contributions.js';
import type { Services } from '../services.js';
import { runScaffold, scaffoldCommandId, type ScaffoldArgs } from './scaffoldCommand.js';
import { buildScaffoldCommandId, runBuildScaffold, type BuildArgs } from './buildCommand.js';

/** Lens actions on translatable loops; targets listed without loading the engine. */
const LENS_TARGETS = [
  { target: 'wasm', title: 'Scaffold wasm…' },
  { target: 'worker', title: 'Scaffold worker…' },
  { target: 'native', title: 'Scaffold native…' },
  { target: 'gpu', title: 'Scaffold GPU…' },
] as const;

function lensContributor(changed: vscode.EventEmitter<void>): LensContributor {
  return {
    onDidChange: changed.event,
    segments(loop: LoopFacts, document: vscode.TextDocument): readonly LensSegment[] {
      if (!loop.kernel || !loop.verdict.translatable) return [];
      return LENS_TARGETS.map(({ target, title }) => ({
        text: '',
        command: {
          title,
          command: scaffoldCommandId,
          tooltip: `Write a ${target} rewrite of ${loop.kernel!.name} into the workspace (previewed first)`,
          arguments: [{ uri: document.uri, loopId: loop.id, target } satisfies ScaffoldArgs],
        },
      }));
    },
  };
}

/** Registers the scaffold command and lens actions (one line in extension.ts). */
export function registerScaffoldFeature(services: Services, context: vscode.ExtensionContext): void {
  const changed = new vscode.EventEmitter<void>();
  context.subscriptions.push(
    changed,
    services.lenses.register(lensContributor(changed)),
    registerCommand(services, scaffoldCommandId, (args) =>
      runScaffold(services, args as ScaffoldArgs | undefined),
    ),
    registerCommand(services, buildScaffoldCommandId, (args) =>
      runBuildScaffold(services, args as BuildArgs | undefined),
    ),
  );
}
