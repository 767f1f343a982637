// One command per file; each exports a HotloopCommand that commands/index.ts registers.
import type * as vscode from 'vscode';
import type { CommandId } from '../commandIds.js';
import type { LoopLensProvider } from '../lenses/lensProvider.js';
import type { Services } from '../services.js';
import type { HotLoopsTree } from '../tree/hotLoopsTree.js';
import type { TreeNode } from '../tree/treeModel.js';

/** What the built-in commands reach besides the services. */
export interface CommandContext {
  readonly services: Services;
  readonly lenses: LoopLensProvider;
  readonly tree: HotLoopsTree;
  readonly treeView: vscode.TreeView<TreeNode>;
}

export interface HotloopCommand {
  /** The command id (contributed in package.json unless internal). */
  readonly id: CommandId;
  run(ctx: CommandContext, ...args: unknown[]): unknown;
}
