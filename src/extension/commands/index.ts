// Registers the built-in commands (one per file). Other features register their own commands.
import type * as vscode from 'vscode';
import { registerCommand } from '../commandRegistry.js';
import { analyzeFileCommand } from './analyzeFile.js';
import { explainLoopCommand } from './explainLoop.js';
import { refreshHotLoopsCommand } from './refreshHotLoops.js';
import { showHotLoopsCommand } from './showHotLoops.js';
import { showLogCommand } from './showLog.js';
import type { CommandContext, HotloopCommand } from './types.js';

export const builtinCommands: readonly HotloopCommand[] = [
  analyzeFileCommand,
  showHotLoopsCommand,
  showLogCommand,
  refreshHotLoopsCommand,
  explainLoopCommand,
];

export function registerCommands(ctx: CommandContext, context: vscode.ExtensionContext): void {
  for (const command of builtinCommands) {
    context.subscriptions.push(
      registerCommand(ctx.services, command.id, (...args: unknown[]) => command.run(ctx, ...args)),
    );
  }
}
