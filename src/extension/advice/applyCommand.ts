// `hotloop.applyRewrite` — replace a function's body with a call to its scaffolded wrapper, as ONE
// previewed WorkspaceEdit (one undo step restores the file exactly). The text edits come from the
// engine (src/core/advice/apply.ts); this file checks trust, dirty editors and stale analyses,
// scaffolds first when the folder is missing, and turns the edits into a WorkspaceEdit.
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { LoopFacts } from '../../core/analysis/types.js';
import type { TargetName } from '../../core/scaffold/types.js';
import { runScaffold } from '../scaffold/scaffoldCommand.js';
import type { Services } from '../services.js';

export const applyCommandId = 'hotloop.applyRewrite';

/** Arguments of `hotloop.applyRewrite` (code actions and tests pass them; people get pickers). */
export interface ApplyArgs {
  readonly uri?: vscode.Uri | string;
  readonly loopId?: string;
  readonly target?: TargetName;
  /** Show the refactor preview (default true); false applies directly (tests). */
  readonly preview?: boolean;
  /** The document version the caller's analysis saw; another version is refused (and re-analysed). */
  readonly documentVersion?: number;
  /** Scaffold the rewrite first when its folder has no wrapper yet (default true). */
  readonly scaffold?: boolean;
}

export type ApplyOutcome =
  | {
      readonly ok: true;
      readonly functionName: string;
      readonly localName: string;
      readonly importPath: string;
      readonly scaffolded: boolean;
    }
  | { readonly ok: false; readonly reason: string };

/** Targets whose wrapper is synchronous in every scaffold (the others are checked per kernel). */
const TARGETS: readonly TargetName[] = ['js', 'native', 'wasm', 'worker', 'gpu'];

function toUri(u: vscode.Uri | string): vscode.Uri {
  return typeof u === 'string' ? (/^\w+:/.test(u) ? vscode.Uri.parse(u) : vscode.Uri.file(u)) : u;
}

async function pickLoop(loops: readonly LoopFacts[]): Promise<LoopFacts | undefined> {
  const candidates = loops.filter((l) => l.kernel);
  if (candidates.length <= 1) return candidates[0];
  const picked = await vscode.window.showQuickPick(
    candidates.map((l) => ({
      label: l.functionName,
      description: `line ${l.range.start.line + 1}${l.kernel!.name === l.functionName ? '' : ' (the loop is extracted into its own function)'}`,
      loop: l,
    })),
    { title: 'Apply rewrite: which function?' },
  );
  return picked?.loop;
}

export async function runApply(services: Services, args: ApplyArgs = {}): Promise<ApplyOutcome> {
  const fail = (reason: string): ApplyOutcome => {
    services.log.warn(`apply: ${reason}`);
    void vscode.window.showWarningMessage(`Hotloop: ${reason}`);
    return { ok: false, reason };
  };
  if (!services.requireTrust('Applying a rewrite (it points your code at generated native/wasm code)')) {
    return {
      ok: false,
      reason: 'the workspace is not trusted: applying a rewrite points your code at generated code that runs',
    };
  }
  const preview = args.preview ?? true;
  const uri = args.uri ? toUri(args.uri) : vscode.window.activeTextEditor?.document.uri;
  if (!uri) return fail('open the TypeScript or JavaScript file whose function you want to rewrite first');
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder)
    return fail(`${uri.fsPath} is not inside a workspace folder: rewrites are scaffolded into the workspace`);
  const document = await vscode.workspace.openTextDocument(uri);
  const rel = vscode.workspace.asRelativePath(uri);
  if (document.isDirty) {
    if (!preview)
      return fail(`${rel} has unsaved changes: save it first, then apply the rewrite (nothing was changed)`);
    const choice = await vscode.window.showWarningMessage(
      `Hotloop: ${rel} has unsaved changes. Save it before applying the rewrite?`,
      { modal: true },
      'Save and apply',
    );
    if (choice !== 'Save and apply' || !(await document.save()))
      return { ok: false, reason: `${rel} has unsaved changes (not applied)` };
  }
  if (args.documentVersion !== undefined && args.documentVersion !== document.version) {
    services.analyses.analyzeNow(document);
    return fail(
      `${rel} changed since it was analysed (version ${args.documentVersion} → ${document.version}); it was analysed again: apply from the refreshed lens or light bulb (nothing was changed)`,
    );
  }
  const version = document.version;
  const analysis = services.analyses.analyzeNow(document);
  const loop = args.loopId
    ? analysis.loops.find((l) => l.id === args.loopId)
    : await pickLoop(analysis.loops);
  if (!loop?.kernel)
    return fail(
      args.loopId ? `no translatable loop '${args.loopId}' in ${rel}` : `no translatable loop in ${rel}`,
    );
  const target =
    args.target ??
    (
      await vscode.window.showQuickPick(
        TARGETS.map((t) => ({ label: t, target: t })),
        { title: 'Apply rewrite: which target?' },
      )
    )?.target;
  if (!target) return { ok: false, reason: 'cancelled' };

  // The plan (scaffold folder, wrapper, text edits — extracting a loop that is only part of its
  // function) comes from the engine the CLI uses; this command only previews and applies it.
  const engine = services.engine();
  const prepare = (): ReturnType<typeof engine.prepareApply> =>
    engine.prepareApply({
      root: folder.uri.fsPath,
      fileName: document.fileName,
      text: document.getText(),
      loop,
      target,
      outputDir: services.settings.get('scaffold.outputDir'),
      workspaceTrusted: vscode.workspace.isTrusted,
    });
  let plan = await prepare();
  if (!plan.ok) return fail(plan.reason);
  let scaffolded = false;
  if (!plan.wrapperExists) {
    if (args.scaffold === false)
      return fail(
        `${plan.wrapper.relative} does not exist: scaffold the ${target} rewrite first (Hotloop: Scaffold rewrite…)`,
      );
    const made = await runScaffold(services, { uri, loopId: loop.id, target, preview });
    if (!made.ok) return { ok: false, reason: `scaffolding failed: ${made.reason}` };
    scaffolded = true;
    if (document.version !== version || document.isDirty) {
      return fail(
        `${rel} changed while the rewrite was being scaffolded; apply again (nothing was changed in ${rel})`,
      );
    }
    plan = await prepare();
    if (!plan.ok) return fail(plan.reason);
    if (!plan.wrapperExists)
      return fail(`${plan.wrapper.relative} was not written; the rewrite was not applied`);
  }
  const text = document.getText();
  const { importPath } = plan;
  const originalFile = plan.scaffold.files.find((f) => f.role === 'original');

  const edit = new vscode.WorkspaceEdit();
  const meta: vscode.WorkspaceEditEntryMetadata = {
    label: `Apply the ${target} rewrite of ${plan.functionName}`,
    description: `${rel}: calls ${importPath}`,
    needsConfirmation: preview,
  };
  for (const e of plan.edits)
    edit.replace(
      uri,
      new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)),
      e.newText,
      meta,
    );
  // VS Code applies the edit only to the document version it was computed on (a change during the preview fails it).
  const applied = await vscode.workspace.applyEdit(edit, { isRefactoring: preview });
  if (!applied)
    return fail(
      `the rewrite of ${plan.functionName} was not applied (preview cancelled, or ${rel} changed meanwhile); the file is unchanged`,
    );
  const expected = engine.applyTextEdits(text, plan.edits);
  if (document.getText() !== expected)
    services.log.warn(
      `apply: ${rel} differs from the planned result after the edit (another edit raced it?); undo restores it`,
    );
  services.log.info(`apply: ${plan.summary} in ${rel}`);
  const build =
    importPath.includes('/dist/') &&
    !existsSync(vscode.Uri.joinPath(vscode.Uri.file(plan.scaffold.dir), 'dist', 'index.js').fsPath)
      ? ` Build it before running (${plan.scaffold.commands.build.join(' && ')} in ${vscode.workspace.asRelativePath(plan.scaffold.dir)}): this JavaScript file imports its dist/.`
      : '';
  void vscode.window.showInformationMessage(
    `Hotloop: ${plan.functionName} now calls the ${target} rewrite. Undo (Ctrl+Z) restores the loop; the original is kept in ${originalFile?.relative ?? plan.scaffold.dir}.${build}`,
  );
  return { ok: true, functionName: plan.functionName, localName: plan.localName, importPath, scaffolded };
}
