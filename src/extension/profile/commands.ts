// The profile commands: `hotloop.profile` (Profile…), `hotloop.importProfile`, `hotloop.toggleHeat`.
// `hotloop.profile` takes an optional argument so tests and keybindings need no quick pick:
//   executeCommand('hotloop.profile', { target: { kind: 'file', file: 'src/main.ts', args: ['matmul'] } })
import * as vscode from 'vscode';
import { registerCommand } from '../commandRegistry.js';
import { isAbsolute, join } from 'node:path';
import { pct } from '../../core/format.js';
import type { ProfileResult, ProfileTarget } from '../../core/profile/types.js';
import type { Services } from '../services.js';
import type { HeatDecorations } from './heatDecorations.js';
import type { ProfileState } from './state.js';
import { parseTargetSetting, pickTarget, targetFromArgument } from './targets.js';

/** The part of the engine bundle (src/engine.ts) profiling uses. */
interface ProfileEngine {
  profileTarget(target: ProfileTarget, options: Record<string, unknown>): Promise<ProfileResult>;
  importProfile(file: string, options: Record<string, unknown>): Promise<ProfileResult>;
}

function profileEngine(services: Services): ProfileEngine {
  const engine = services.engine() as unknown as Partial<ProfileEngine>;
  if (typeof engine.profileTarget !== 'function' || typeof engine.importProfile !== 'function') {
    throw new Error(
      "Hotloop's engine bundle has no profiler: rebuild it with `npm run build` and reload the window.",
    );
  }
  return engine as ProfileEngine;
}

export interface ProfileCommandArgs {
  readonly target?: unknown;
  readonly shapes?: boolean;
}

interface Feature {
  readonly services: Services;
  readonly state: ProfileState;
  readonly decorations: HeatDecorations;
}

function absolutize(target: ProfileTarget, root: string): ProfileTarget {
  if (target.kind !== 'file' && target.kind !== 'script') return target;
  return { ...target, file: isAbsolute(target.file) ? target.file : join(root, target.file) };
}

async function showOutcome(services: Services, result: ProfileResult): Promise<void> {
  const top = result.loops[0];
  const headline = `Hotloop: ${result.verdict.kind}${top ? ` — hottest loop in ${top.functionName} (${top.file}:${top.range.start.line + 1}, ${pct(top.totalShare)} of CPU)` : ' — no sample landed in a loop'}.`;
  const message = result.outcome?.message ?? result.warnings[0];
  const show = message ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const choice = await show(`${headline}${message ? ` ${message}` : ''}`, 'Show hot loops', 'Show log');
  if (choice === 'Show hot loops') await vscode.commands.executeCommand('hotloop.showHotLoops');
  if (choice === 'Show log') services.log.show();
}

/** `Hotloop: Profile…`: returns the result (tests use it) or undefined when cancelled/refused. */
async function profile(f: Feature, arg?: unknown): Promise<ProfileResult | undefined> {
  const { services, state } = f;
  const root = state.root;
  if (!root) {
    void vscode.window.showErrorMessage(
      'Hotloop: open a folder first; profiling runs a target in a workspace.',
    );
    return undefined;
  }
  if (!services.requireTrust('Profiling')) return undefined;
  const args = (
    arg instanceof vscode.Uri || typeof arg === 'string' ? { target: arg } : (arg ?? {})
  ) as ProfileCommandArgs;
  const settings = services.settings.current;
  let target =
    targetFromArgument(args.target) ??
    (settings['profile.defaultTarget'] ? parseTargetSetting(settings['profile.defaultTarget']) : undefined);
  if (args.target !== undefined && !targetFromArgument(args.target))
    throw new Error(`hotloop.profile: not a target: ${JSON.stringify(args.target)}`);
  target ??= await pickTarget(root, services.context.workspaceState);
  if (!target) return undefined;
  const chosen = absolutize(target, root);
  const engine = profileEngine(services);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Hotloop: profiling', cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => {
        controller.abort();
      });
      progress.report({
        message:
          chosen.kind === 'npm'
            ? `npm run ${chosen.script}`
            : chosen.kind === 'command'
              ? chosen.command.join(' ')
              : vscode.workspace.asRelativePath(chosen.file),
      });
      try {
        return await engine.profileTarget(chosen, {
          root,
          intervalUs: settings['profile.interval'],
          timeoutMs: settings['profile.timeout'] * 1000,
          shapes: args.shapes ?? settings['profile.shapes'],
          signal: controller.signal,
          logger: services.log,
        });
      } finally {
        sub.dispose();
      }
    },
  );
  state.set(result);
  void showOutcome(services, result);
  return result;
}

/** `Hotloop: Import CPU profile…`: a .cpuprofile from js-debug or `node --cpu-prof`. */
async function importCpuProfile(f: Feature, arg?: unknown): Promise<ProfileResult | undefined> {
  const { services, state } = f;
  const root = state.root;
  if (!root) {
    void vscode.window.showErrorMessage(
      'Hotloop: open a folder first; the profile is attributed to its sources.',
    );
    return undefined;
  }
  let file = arg instanceof vscode.Uri ? arg.fsPath : typeof arg === 'string' ? arg : undefined;
  if (!file) {
    const uris = await vscode.window.showOpenDialog({
      canSelectMany: false,
      defaultUri: vscode.Uri.file(root),
      filters: { 'CPU profile': ['cpuprofile', 'json'] },
      title: 'Import a CPU profile',
    });
    file = uris?.[0]?.fsPath;
  }
  if (!file) return undefined;
  const result = await profileEngine(services).importProfile(isAbsolute(file) ? file : join(root, file), {
    root,
    logger: services.log,
  });
  state.set(result);
  void showOutcome(services, result);
  return result;
}

/** Registers the three commands (errors: see commandRegistry.ts). */
export function registerProfileCommands(f: Feature): vscode.Disposable[] {
  return [
    registerCommand(f.services, 'hotloop.profile', (arg) => profile(f, arg)),
    registerCommand(f.services, 'hotloop.importProfile', (arg) => importCpuProfile(f, arg)),
    registerCommand(f.services, 'hotloop.toggleHeat', () => {
      f.decorations.setEnabled(!f.decorations.isEnabled);
      void vscode.window.setStatusBarMessage(`Hotloop: heat ${f.decorations.isEnabled ? 'on' : 'off'}`, 2000);
      return f.decorations.isEnabled;
    }),
  ];
}
