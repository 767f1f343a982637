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
  | { readonly ok: true; readonly functionName: string; readonly localName: string; readonly importPath: string; readonly scaffolded: boolean }
  | { readonly ok: false; readonly reason: string };

/** Targets whose wrapper is synchronous in every scaffold (the others are checked per kernel). */
const TARGETS: readonly TargetName[] = ['native', 'wasm', 'worker', 'gpu'];

function toUri(u: vscode.Uri | string): vscode.Uri {
  return typeof u === 'string' ? (/^\w+:/.test(u) ? vscode.Uri.parse(u) : vscode.Uri.file(u)) : u;
}

async function pickLoop(loops: readonly LoopFacts[]): Promise<LoopFacts | undefined> {
  const candidates = loops.filter((l) => l.kernel && l.kernel.name === l.functionName);
  if (candidates.length <= 1) return candidates[0];
  const picked = await vscode.window.showQuickPick(
    candidates.map((l) => ({ label: l.functionName, description: `line ${l.range.start.line + 1}`, loop: l })),
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
    return { ok: false, reason: 'the workspace is not trusted: applying a rewrite points your code at generated code that runs' };
  }
  const preview = args.preview ?? true;
  const uri = args.uri ? toUri(args.uri) : vscode.window.activeTextEditor?.document.uri;
  if (!uri) return fail('open the TypeScript or JavaScript file whose function you want to rewrite first');
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) return fail(`${uri.fsPath} is not inside a workspace folder: rewrites are scaffolded into the workspace`);
  const document = await vscode.workspace.openTextDocument(uri);
  const rel = vscode.workspace.asRelativePath(uri);
  if (document.isDirty) {
    if (!preview) return fail(`${rel} has unsaved changes: save it first, then apply the rewrite (nothing was changed)`);
    const choice = await vscode.window.showWarningMessage(`Hotloop: ${rel} has unsaved changes. Save it before applying the rewrite?`, { modal: true }, 'Save and apply');
    if (choice !== 'Save and apply' || !(await document.save())) return { ok: false, reason: `${rel} has unsaved changes (not applied)` };
  }
  if (args.documentVersion !== undefined && args.documentVersion !== document.version) {
    services.analyses.analyzeNow(document);
    return fail(`${rel} changed since it was analysed (version ${args.documentVersion} → ${document.version}); it was analysed again: apply from the refreshed lens or light bulb (nothing was changed)`);
  }
  const version = document.version;
  const analysis = services.analyses.analyzeNow(document);
  const loop = args.loopId ? analysis.loops.find((l) => l.id === args.loopId) : await pickLoop(analysis.loops);
  if (!loop?.kernel) return fail(args.loopId ? `no translatable loop '${args.loopId}' in ${rel}` : `no function in ${rel} is a whole translatable kernel`);
  const target = args.target ?? (await vscode.window.showQuickPick(TARGETS.map((t) => ({ label: t, target: t })), { title: 'Apply rewrite: which target?' }))?.target;
  if (!target) return { ok: false, reason: 'cancelled' };

  const engine = services.engine();
  const planScaffold = (): ReturnType<typeof engine.planScaffold> => engine.planScaffold({
    kernel: loop.kernel!, target, workspaceRoot: folder.uri.fsPath, outputDir: services.settings.get('scaffold.outputDir'),
    workspaceTrusted: vscode.workspace.isTrusted, source: { file: vscode.workspace.asRelativePath(uri, false), line: loop.range.start.line + 1, loopId: loop.id },
  });
  let planned = await planScaffold();
  if (!planned.ok) return fail(planned.reason);
  const wrapperFile = planned.plan.files.find((f) => f.role === 'wrapper' && /(^|\/)index\.ts$/.test(f.relative));
  if (!wrapperFile) return fail(`the ${target} scaffold of ${loop.kernel.name} has no index.ts wrapper to call`);
  // Refuse before scaffolding anything when the function cannot take the call.
  const check = engine.planApply({
    text: document.getText(), fileName: document.fileName, loop,
    wrapper: { importPath: engine.wrapperImportPath(document.fileName, planned.plan.dir), exportName: loop.kernel.name, target, async: planned.plan.properties.async },
  });
  if (!check.ok) return fail(`cannot apply the ${target} rewrite of ${loop.functionName}: ${check.reason}`);
  let scaffolded = false;
  if (!existsSync(wrapperFile.path)) {
    if (args.scaffold === false) return fail(`${wrapperFile.relative} does not exist: scaffold the ${target} rewrite first (Hotloop: Scaffold rewrite…)`);
    const made = await runScaffold(services, { uri, loopId: loop.id, target, preview });
    if (!made.ok) return { ok: false, reason: `scaffolding failed: ${made.reason}` };
    scaffolded = true;
    planned = await planScaffold();
    if (!planned.ok) return fail(planned.reason);
    if (!existsSync(wrapperFile.path)) return fail(`${wrapperFile.relative} was not written; the rewrite was not applied`);
  }
  if (document.version !== version || document.isDirty) {
    return fail(`${rel} changed while the rewrite was being scaffolded; apply again (nothing was changed in ${rel})`);
  }
  const text = document.getText();
  const importPath = engine.wrapperImportPath(document.fileName, planned.plan.dir);
  const originalFile = planned.plan.files.find((f) => f.role === 'original');
  const plan = engine.planApply({
    text, fileName: document.fileName, loop, expectedHash: engine.textHash(text),
    wrapper: { importPath, exportName: loop.kernel.name, target, async: planned.plan.properties.async, ...(originalFile ? { originalPath: originalFile.relative } : {}) },
  });
  if (!plan.ok) return fail(`cannot apply the ${target} rewrite of ${loop.functionName}: ${plan.reason}`);

  const edit = new vscode.WorkspaceEdit();
  const meta: vscode.WorkspaceEditEntryMetadata = {
    label: `Apply the ${target} rewrite of ${plan.functionName}`,
    description: `${rel}: calls ${importPath}`,
    needsConfirmation: preview,
  };
  for (const e of plan.edits) edit.replace(uri, new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)), e.newText, meta);
  // VS Code applies the edit only to the document version it was computed on (a change during the preview fails it).
  const applied = await vscode.workspace.applyEdit(edit, { isRefactoring: preview });
  if (!applied) return fail(`the rewrite of ${plan.functionName} was not applied (preview cancelled, or ${rel} changed meanwhile); the file is unchanged`);
  const expected = engine.applyTextEdits(text, plan.edits);
  if (document.getText() !== expected) services.log.warn(`apply: ${rel} differs from the planned result after the edit (another edit raced it?); undo restores it`);
  services.log.info(`apply: ${plan.summary} in ${rel}`);
  const build = importPath.includes('/dist/') && !existsSync(vscode.Uri.joinPath(vscode.Uri.file(planned.plan.dir), 'dist', 'index.js').fsPath)
    ? ` Build it before running (${planned.plan.commands.build.join(' && ')} in ${vscode.workspace.asRelativePath(planned.plan.dir)}): this JavaScript file imports its dist/.`
    : '';
  void vscode.window.showInformationMessage(`Hotloop: ${plan.functionName} now calls the ${target} rewrite. Undo (Ctrl+Z) restores the loop; the original is kept in ${originalFile?.relative ?? planned.plan.dir}.${build}`);
  return { ok: true, functionName: plan.functionName, localName: plan.localName, importPath, scaffolded };
}
