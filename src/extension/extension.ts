// Thin activation: build the services, register every feature, load nothing heavy. The engine
// (TypeScript compiler, profiler, emitters) is dist/engine.js, required on first use by services.engine().
//
// Two disposal scopes (as in rust-analyzer): `context.subscriptions` lives as long as the extension;
// `services.session` holds engine-bound state and is cleared by services.restartSession().
import * as vscode from 'vscode';
import { registerCommands } from './commands/index.js';
import { DisposableList } from './disposable.js';
import { registerLenses } from './lenses/index.js';
import { registerScaffoldFeature } from './scaffold/index.js';
import { registerResultsFeature } from './results/index.js';
import { createServices, type Services } from './services.js';
import { registerHotLoopsTree, type HotLoopsTree } from './tree/hotLoopsTree.js';
import { registerProfileFeature } from './profile/index.js';
import { registerAdviceFeature } from './advice/index.js';
import { registerBeforeAfterFeature } from './profile/beforeAfter.js';

/**
 * A feature of another room: registers its commands, LensContributors (services.lenses), a HeatSource
 * (services.heat), webviews… and pushes every disposable into `context.subscriptions`. It must stay
 * cheap: load heavy modules lazily inside its command handlers. Call services.requireTrust() before
 * running workspace code.
 */
export type RegisterFeature = (services: Services, context: vscode.ExtensionContext) => void;

/** What `vscode.extensions.getExtension('hotloop.hotloop').exports` gives (tests, other extensions). */
export interface HotloopApi {
  readonly services: Services;
  /** The Hot loops tree: `files` is its current content, `scan()` rescans the workspace. */
  readonly hotLoops: HotLoopsTree;
}

export function activate(context: vscode.ExtensionContext): HotloopApi {
  const t0 = performance.now();
  const log = vscode.window.createOutputChannel('Hotloop', { log: true });
  context.subscriptions.push(log);
  try {
    const scope = new DisposableList();
    context.subscriptions.push(scope);
    const services = createServices(context, log, scope);

    // Analysis: lenses + hover, the Hot loops tree, the built-in commands.
    const lenses = registerLenses(services, context);
    const { tree, view } = registerHotLoopsTree(services, context);
    registerCommands({ services, lenses, tree, treeView: view }, context);
    context.subscriptions.push(
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        services.restartSession('workspace folders changed');
      }),
    );

    // Features of other rooms — ONE line each, e.g. `registerProfileFeature(services, context);`
    // (import it from './profile/index.js', './scaffold/index.js', './results/index.js', './advice/index.js').
    registerScaffoldFeature(services, context);
    registerResultsFeature(services, context);
    const profiles = registerProfileFeature(services, context);
    registerAdviceFeature(services, context);
    registerBeforeAfterFeature(services, context, profiles);

    log.info(
      `Hotloop ${String((context.extension.packageJSON as { version?: unknown }).version)} activated in ${(performance.now() - t0).toFixed(1)} ms (workspace ${vscode.workspace.isTrusted ? 'trusted' : 'untrusted: analysis only'})`,
    );
    return { services, hotLoops: tree };
  } catch (err) {
    // Show and rethrow: the user sees why, VS Code marks the activation as failed.
    const message = err instanceof Error ? err.message : String(err);
    log.error(`activation failed: ${message}`);
    void vscode.window.showErrorMessage(`Hotloop failed to activate: ${message}`, 'Show log').then((c) => {
      if (c) log.show();
    });
    throw err;
  }
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions (the services scope included).
}
