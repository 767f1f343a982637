// Before/after in the editor: `Hotloop: Save baseline for before/after` runs a target k times under
// the profiler and stores the runs under `.hotloop/baselines/`; `Hotloop: Compare with baseline
// (before/after)` runs it k times again and shows the difference (whole-run speedup with its CI,
// each loop's share before vs after) in the results panel; the "after" run with the median wall time
// then becomes the workspace's current profile (stored under `.hotloop/profiles/` like a Profile… run,
// so heat lenses, decorations and the status bar show it). Both take an optional argument so tests,
// keybindings and the Apply-rewrite flow need no quick pick:
//   executeCommand('hotloop.saveBaseline', { target: { kind: 'file', file: 'src/main.ts' }, runs: 5 })
//   executeCommand('hotloop.compareBeforeAfter', { target: …, runs: 5 })  → the BeforeAfterComparison
import * as vscode from 'vscode';
import { registerCommand } from '../commandRegistry.js';
import { isAbsolute, join } from 'node:path';
import type { BeforeAfterComparison } from '../../core/profile/compare.js';
import type { ProfileResult, ProfileTarget } from '../../core/profile/types.js';
import { isCancelled, signalFromToken } from '../cancellation.js';
import { ResultsPanel } from '../results/panel.js';
import type { Services } from '../services.js';
import { parseTargetSetting, pickTarget, targetFromArgument } from './targets.js';

export const BEFORE_AFTER_COMMANDS = {
  save: 'hotloop.saveBaseline',
  compare: 'hotloop.compareBeforeAfter',
} as const;
const DEFAULT_RUNS = 5;

/** Where a fresh profile goes (the profile feature's ProfileState: stores it and updates the heat views). */
export interface CurrentProfile {
  set(result: ProfileResult): void;
}

interface Args {
  readonly target?: unknown;
  readonly runs?: number;
}

function argsOf(arg: unknown): Args {
  if (arg instanceof vscode.Uri || typeof arg === 'string') return { target: arg };
  return arg && typeof arg === 'object' ? arg : {};
}

function absolutize(target: ProfileTarget, root: string): ProfileTarget {
  if (target.kind !== 'file' && target.kind !== 'script') return target;
  return { ...target, file: isAbsolute(target.file) ? target.file : join(root, target.file) };
}

function engineOf(services: Services): ReturnType<Services['engine']> {
  const engine = services.engine();
  if (typeof engine.compareWithBaseline !== 'function' || typeof engine.profileBeforeAfter !== 'function') {
    throw new Error(
      "Hotloop's engine bundle has no before/after comparison: rebuild it with `npm run build` and reload the window.",
    );
  }
  return engine;
}

/** A target from the argument, the default-target setting, or the quick pick (which remembers it). */
async function chooseTarget(
  services: Services,
  root: string,
  args: Args,
  baselines: readonly { label: string; createdAt: string; target: ProfileTarget }[] = [],
): Promise<ProfileTarget | undefined> {
  if (args.target !== undefined) {
    const t = targetFromArgument(args.target);
    if (!t) throw new Error(`not a target: ${JSON.stringify(args.target)}`);
    return t;
  }
  if (baselines.length) {
    type Item = vscode.QuickPickItem & { target?: ProfileTarget };
    const items: Item[] = [
      ...baselines.map((b) => ({
        label: `$(history) ${b.label}`,
        description: `baseline of ${b.createdAt.slice(0, 16).replace('T', ' ')}`,
        target: b.target,
      })),
      {
        label: '$(list-selection) Another target…',
        description: 'its newest stored profile is the “before”',
      },
    ];
    const chosen = await vscode.window.showQuickPick(items, {
      title: 'Hotloop: Compare with baseline',
      placeHolder: 'Which target? (the baseline is the “before”)',
    });
    if (!chosen) return undefined;
    if (chosen.target) return chosen.target;
  }
  const setting = services.settings.current['profile.defaultTarget'];
  return (
    (setting ? parseTargetSetting(setting) : undefined) ?? pickTarget(root, services.context.workspaceState)
  );
}

function rootOrRefuse(services: Services, what: string): string | undefined {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!root) {
    void vscode.window.showErrorMessage(
      'Hotloop: open a folder first; before/after runs a target in a workspace.',
    );
    return undefined;
  }
  return services.requireTrust(what) ? root : undefined;
}

/** Runs `work` under a cancellable progress notification; undefined when cancelled. */
async function withProgress<T>(
  title: string,
  work: (signal: AbortSignal, report: (done: number, total: number) => void) => Promise<T>,
): Promise<T | undefined> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      const bridge = signalFromToken(token);
      let last = 0;
      try {
        return await work(bridge.signal, (done, total) => {
          progress.report({
            message: `run ${done} of ${total} done`,
            increment: ((done - last) / total) * 100,
          });
          last = done;
        });
      } catch (err) {
        if (isCancelled(err) || bridge.signal.aborted) return undefined;
        throw err;
      } finally {
        bridge.dispose();
      }
    },
  );
}

function runOptions(
  services: Services,
  root: string,
  args: Args,
): { root: string; runs: number; intervalUs: number; timeoutMs: number; log: vscode.LogOutputChannel } {
  const s = services.settings.current;
  const runs = typeof args.runs === 'number' && args.runs >= 1 ? Math.floor(args.runs) : DEFAULT_RUNS;
  return {
    root,
    runs,
    intervalUs: s['profile.interval'],
    timeoutMs: s['profile.timeout'] * 1000,
    log: services.log,
  };
}

/** `Hotloop: Save baseline for before/after`: returns the baseline file (undefined when cancelled). */
async function saveBaselineCommand(services: Services, arg?: unknown): Promise<string | undefined> {
  const root = rootOrRefuse(services, 'Saving a baseline (it runs the target)');
  if (!root) return undefined;
  const args = argsOf(arg);
  const picked = await chooseTarget(services, root, args);
  if (!picked) return undefined;
  const target = absolutize(picked, root);
  const engine = engineOf(services);
  const opts = runOptions(services, root, args);
  const file = await withProgress(`Hotloop: baseline (${opts.runs} runs)`, async (signal, onProgress) => {
    const set = await engine.profileBeforeAfter(target, { ...opts, signal, onProgress });
    return engine.saveBaseline(root, target, set.profiles);
  });
  if (file) {
    services.log.info(`before/after: baseline saved to ${file}`);
    void vscode.window.showInformationMessage(
      `Hotloop: baseline saved (${opts.runs} runs). Apply the rewrite, then run “Hotloop: Compare with baseline (before/after)”.`,
    );
  }
  return file;
}

/** Shows a comparison in the results panel (opening it through the results feature, so its actions keep working). */
async function showInPanel(comparison: BeforeAfterComparison): Promise<void> {
  if (!ResultsPanel.open) await vscode.commands.executeCommand('hotloop.openResults');
  const panel = ResultsPanel.open;
  if (!panel) throw new Error('The results panel could not be opened.');
  panel.panel.reveal(undefined, true);
  panel.showComparison(comparison);
}

/** `Hotloop: Compare with baseline (before/after)`: returns the comparison (undefined when cancelled). */
async function compareCommand(
  services: Services,
  profiles: CurrentProfile | undefined,
  arg?: unknown,
): Promise<BeforeAfterComparison | undefined> {
  const root = rootOrRefuse(services, 'Comparing before/after (it runs the target)');
  if (!root) return undefined;
  const args = argsOf(arg);
  const engine = engineOf(services);
  const picked = await chooseTarget(services, root, args, engine.listBaselines(root));
  if (!picked) return undefined;
  const target = absolutize(picked, root);
  const opts = runOptions(services, root, args);
  const out = await withProgress(`Hotloop: before/after (${opts.runs} runs)`, (signal, onProgress) =>
    engine.compareWithBaseline(target, { ...opts, signal, onProgress }),
  );
  if (!out) return undefined;
  const c = out.comparison;
  services.log.info(engine.formatComparison(c));
  // The median-wall "after" run is now the profile of the workspace (as after Profile…).
  profiles?.set(out.after.profile);
  await showInPanel(c);
  // Not awaited: the command returns the comparison at once (tests, the Apply-rewrite flow).
  void vscode.window
    .showInformationMessage(`Hotloop: ${c.label}: ${c.speedup.text}.`, 'Make this the new baseline')
    .then((choice) => {
      if (choice)
        services.log.info(
          `before/after: new baseline ${engine.saveBaseline(root, target, out.after.profiles)}`,
        );
    });
  return c;
}

/**
 * Registers both commands; errors become a message with "Show log" (and are rethrown for callers).
 * `profiles` (from registerProfileFeature) receives each comparison's "after" profile.
 */
export function registerBeforeAfterFeature(
  services: Services,
  context: vscode.ExtensionContext,
  profiles?: CurrentProfile,
): void {
  context.subscriptions.push(
    registerCommand(services, BEFORE_AFTER_COMMANDS.save, (arg) => saveBaselineCommand(services, arg)),
    registerCommand(services, BEFORE_AFTER_COMMANDS.compare, (arg) =>
      compareCommand(services, profiles, arg),
    ),
  );
}
