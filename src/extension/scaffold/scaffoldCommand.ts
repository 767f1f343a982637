// `hotloop.scaffold` — "Scaffold rewrite…": pick a loop and a target (or take them as arguments),
// plan the scaffold with the engine and apply it as a WorkspaceEdit. Interactively every file needs
// confirmation in the refactor preview; files of the user's (no Hotloop marker) always do.
import * as vscode from 'vscode';
import type { LoopFacts } from '../../core/analysis/types.js';
import type { PlannedFile, ScaffoldPlan, TargetName } from '../../core/scaffold/types.js';
import type { Services } from '../services.js';
import { buildScaffoldCommandId } from './buildCommand.js';

export const scaffoldCommandId = 'hotloop.scaffold';

/** Arguments of the non-interactive form (lens actions and tests). */
export interface ScaffoldArgs {
  /** The source file (defaults to the active editor's document). */
  readonly uri?: vscode.Uri | string;
  /** The loop id (`src/stats.ts#variance/0`); asked for when missing. */
  readonly loopId?: string;
  readonly target?: TargetName;
  /** Show the refactor preview (default true); false applies directly (conflicting user files are skipped). */
  readonly preview?: boolean;
  /** With preview false: also replace files without Hotloop's marker. */
  readonly overwrite?: boolean;
}

export type ScaffoldOutcome =
  | {
      readonly ok: true;
      readonly dir: string;
      readonly files: readonly string[];
      readonly skipped: readonly string[];
    }
  | { readonly ok: false; readonly reason: string };

function toUri(u: vscode.Uri | string): vscode.Uri {
  return typeof u === 'string' ? (/^\w+:/.test(u) ? vscode.Uri.parse(u) : vscode.Uri.file(u)) : u;
}

async function pickLoop(loops: readonly LoopFacts[]): Promise<LoopFacts | undefined> {
  const candidates = loops.filter((l) => l.kernel);
  if (candidates.length <= 1) return candidates[0];
  const picked = await vscode.window.showQuickPick(
    candidates.map((l) => ({
      label: `${l.functionName}: line ${l.range.start.line + 1}`,
      description: l.verdict.translatable ? l.verdict.pattern : '',
      loop: l,
    })),
    { title: 'Scaffold rewrite: which loop?' },
  );
  return picked?.loop;
}

async function pickTarget(services: Services): Promise<TargetName | undefined> {
  const emitters = services.engine().scaffoldEmitters;
  const picked = await vscode.window.showQuickPick(
    emitters.map((e) => ({ label: e.target, description: e.title, target: e.target })),
    { title: 'Scaffold rewrite: which target?' },
  );
  return picked?.target;
}

function toEdit(
  plan: ScaffoldPlan,
  preview: boolean,
  overwrite: boolean,
): { edit: vscode.WorkspaceEdit; files: PlannedFile[]; skipped: PlannedFile[] } {
  const edit = new vscode.WorkspaceEdit();
  const files: PlannedFile[] = [];
  const skipped: PlannedFile[] = [];
  for (const f of plan.files) {
    if (f.action === 'unchanged' || (f.action === 'conflict' && !preview && !overwrite)) {
      skipped.push(f);
      continue;
    }
    const conflict = f.action === 'conflict';
    edit.createFile(
      vscode.Uri.file(f.path),
      { overwrite: true, contents: new TextEncoder().encode(f.contents) },
      {
        label: `${f.action} ${f.relative}`,
        description: conflict ? 'your file (no Hotloop marker): replaced only if you confirm' : f.role,
        needsConfirmation: preview || conflict,
      },
    );
    files.push(f);
  }
  return { edit, files, skipped };
}

/** Runs the command; returns what happened (tests read it), showing messages for people. */
export async function runScaffold(services: Services, args: ScaffoldArgs = {}): Promise<ScaffoldOutcome> {
  const fail = (reason: string): ScaffoldOutcome => {
    services.log.warn(`scaffold: ${reason}`);
    void vscode.window.showWarningMessage(`Hotloop: ${reason}`);
    return { ok: false, reason };
  };
  if (!services.requireTrust('Scaffolding a rewrite')) {
    return { ok: false, reason: services.engine().SCAFFOLD_UNTRUSTED_REASON };
  }
  const uri = args.uri ? toUri(args.uri) : vscode.window.activeTextEditor?.document.uri;
  if (!uri) return fail('open a TypeScript or JavaScript file with a translatable loop first');
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder)
    return fail(`${uri.fsPath} is not inside a workspace folder: scaffolds are written into the workspace`);
  const document = await vscode.workspace.openTextDocument(uri);
  const analysis = services.analyses.analyzeNow(document);
  const loop = args.loopId
    ? analysis.loops.find((l) => l.id === args.loopId)
    : await pickLoop(analysis.loops);
  if (!loop?.kernel)
    return fail(
      args.loopId
        ? `no translatable loop '${args.loopId}' in ${vscode.workspace.asRelativePath(uri)}`
        : 'no translatable loop in this file',
    );
  const target = args.target ?? (await pickTarget(services));
  if (!target) return { ok: false, reason: 'cancelled' };
  const engine = services.engine();
  const planned = await engine.planScaffold({
    kernel: loop.kernel,
    target,
    workspaceRoot: folder.uri.fsPath,
    outputDir: services.settings.get('scaffold.outputDir'),
    workspaceTrusted: vscode.workspace.isTrusted,
    source: {
      file: vscode.workspace.asRelativePath(uri, false),
      line: loop.range.start.line + 1,
      loopId: loop.id,
    },
    // The GPU scaffold also gets its CUDA flavour where nvcc is installed.
    cuda: target === 'gpu' && engine.hasNvcc(),
  });
  if (!planned.ok) return fail(planned.reason);
  const preview = args.preview ?? true;
  const { edit, files, skipped } = toEdit(planned.plan, preview, args.overwrite ?? false);
  if (!files.length) {
    void vscode.window.showInformationMessage(
      `Hotloop: ${vscode.workspace.asRelativePath(planned.plan.dir)} is up to date.`,
    );
    return { ok: true, dir: planned.plan.dir, files: [], skipped: skipped.map((f) => f.relative) };
  }
  const applied = await vscode.workspace.applyEdit(edit, { isRefactoring: true });
  if (!applied)
    return fail(
      `could not write ${vscode.workspace.asRelativePath(planned.plan.dir)} (read-only folder, or the preview was cancelled); existing files were not changed`,
    );
  services.log.info(
    `scaffold: ${target} rewrite of ${loop.kernel.name} → ${planned.plan.dir} (${files.length} file(s))`,
  );
  const readme = planned.plan.files.find((f) => f.role === 'readme');
  // Native and GPU folders need a compiler/toolchain step: offer to run it (hotloop.buildScaffold).
  const buttons = target === 'native' || target === 'gpu' ? ['Build', 'Open README'] : ['Open README'];
  const dir = planned.plan.dir;
  void vscode.window
    .showInformationMessage(
      `Hotloop: scaffolded a ${target} rewrite of ${loop.kernel.name}. Build it with the commands in its README${buttons.length > 1 ? ' or with Build' : ''}.`,
      ...buttons,
    )
    .then((c) => {
      if (c === 'Build') return vscode.commands.executeCommand(buildScaffoldCommandId, { dir });
      return c && readme ? vscode.window.showTextDocument(vscode.Uri.file(readme.path)) : undefined;
    });
  return {
    ok: true,
    dir: planned.plan.dir,
    files: files.map((f) => f.relative),
    skipped: skipped.map((f) => f.relative),
  };
}
