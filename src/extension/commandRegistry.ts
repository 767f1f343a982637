// The one way Hotloop registers a command: typed by id (commandIds.ts), and every handler wrapped
// the same way — a failure is logged, shown once with "Show log", and rethrown so callers of
// `executeCommand` (tests, other commands) see it. An error that an inner command already showed is
// rethrown without a second message.
import * as vscode from 'vscode';
import type { CommandId } from './commandIds.js';

/** The part of the services a command registration needs. */
export interface CommandHost {
  readonly log: vscode.LogOutputChannel;
}

const shown = new WeakSet<object>();

/** Logs `err`, shows it once with "Show log", and returns it for rethrowing. */
export function reportCommandError(host: CommandHost, id: CommandId, err: unknown): unknown {
  if (typeof err === 'object' && err !== null) {
    if (shown.has(err)) return err;
    shown.add(err);
  }
  const message = err instanceof Error ? err.message : String(err);
  host.log.error(`${id}: ${message}`);
  void vscode.window
    .showErrorMessage(`Hotloop: ${message.split('\n')[0] ?? message}`, 'Show log')
    .then((c) => {
      if (c) host.log.show();
    });
  return err;
}

/**
 * Registers `handler` under `id`. Arguments reach the handler as VS Code passes them (`unknown`):
 * a command can be run from the palette, a lens, a menu or `executeCommand`, so each handler checks
 * its own arguments.
 */
export function registerCommand(
  host: CommandHost,
  id: CommandId,
  handler: (...args: unknown[]) => unknown,
): vscode.Disposable {
  // eslint-disable-next-line no-restricted-syntax -- the one place that registers commands
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (err) {
      throw reportCommandError(host, id, err);
    }
  });
}
