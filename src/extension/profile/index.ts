// The profile feature of the extension: commands, heat lens segments, the tree's heat source,
// per-line heat decorations and the status bar item, over the stored profile of the workspace.
// Registered from extension.ts with one line; nothing heavy loads here (the profiler lives in the
// engine bundle, loaded on the first Profile… command).
import * as vscode from 'vscode';
import type { Services } from '../services.js';
import { registerProfileCommands } from './commands.js';
import { HeatDecorations } from './heatDecorations.js';
import { heatLensContributor, heatSource } from './heatLens.js';
import { ProfileState } from './state.js';
import { ProfileStatusBar } from './statusBar.js';

/** Returns the profile in use (the before/after feature makes its "after" run the current profile). */
export function registerProfileFeature(services: Services, context: vscode.ExtensionContext): ProfileState {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const state = new ProfileState(root, services.log);
  const decorations = new HeatDecorations(state, services.settings.get('profile.heatDecorations'));
  context.subscriptions.push(
    state,
    decorations,
    new ProfileStatusBar(state),
    services.lenses.register(heatLensContributor(state)),
    services.heat.register(heatSource(state)),
    services.settings.onDidChange((keys) => {
      if (keys.includes('profile.heatDecorations'))
        decorations.setEnabled(services.settings.get('profile.heatDecorations'));
    }),
    ...registerProfileCommands({ services, state, decorations }),
  );
  // The stored profile comes back with the workspace (read after activation, off the critical path).
  setTimeout(() => {
    state.reload();
  }, 0);
  return state;
}
