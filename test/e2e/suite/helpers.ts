// Small helpers shared by the in-host tests (not a test file itself: only `*.e2e.ts` are loaded).
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'hotloop.hotloop';

export interface ContributedSetting {
  readonly type?: string | string[];
  readonly default?: unknown;
  readonly markdownDescription?: string;
}

/** The parts of our package.json the tests read (from the extension VS Code loaded, not from disk). */
export interface Manifest {
  readonly capabilities?: { readonly untrustedWorkspaces?: { readonly supported?: boolean | 'limited' } };
  readonly contributes: {
    readonly commands?: readonly {
      readonly command: string;
      readonly title: string;
      readonly category?: string;
    }[];
    readonly configuration?: { readonly properties?: Readonly<Record<string, ContributedSetting>> };
    readonly views?: Readonly<Record<string, readonly { readonly id: string; readonly name: string }[]>>;
  };
}

export function hotloop(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext)
    throw new Error(
      `extension ${EXTENSION_ID} is not loaded in this window (is extensionDevelopmentPath right?)`,
    );
  return ext;
}

export function manifest(): Manifest {
  return hotloop().packageJSON as Manifest;
}

/** Activates Hotloop (before querying providers: an onLanguage activation could race the query). */
export async function activateHotloop(): Promise<vscode.Extension<unknown>> {
  const ext = hotloop();
  await ext.activate();
  return ext;
}

/** A file of the scratch copy of examples/ that the window has open as its workspace. */
export function workspaceUri(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open; the driver opens a scratch copy of examples/');
  return vscode.Uri.joinPath(folder.uri, relative);
}

/** Skips the current test with the reason in its title (mocha's skip() takes no reason). */
export function skipBecause(ctx: Mocha.Context, reason: string): never {
  if (ctx.test) ctx.test.title += ` (skipped: ${reason})`;
  ctx.skip();
}

/** The Uri of a workspace file the test needs; fails clearly when examples/ no longer has it. */
export function requireWorkspaceFile(_ctx: Mocha.Context, relative: string): vscode.Uri {
  const uri = workspaceUri(relative);
  if (!existsSync(uri.fsPath))
    throw new Error(`${relative} is not in examples/ (renamed? update the e2e test that needs it)`);
  return uri;
}

/** The Hotloop lenses VS Code's own lens command returns for a file (resolved, so titles are set). */
export async function hotloopLenses(
  uri: vscode.Uri,
): Promise<{ line: number; title: string; text: string }[]> {
  await activateHotloop();
  const doc = await vscode.workspace.openTextDocument(uri);
  const lenses =
    (await vscode.commands.executeCommand<vscode.CodeLens[] | undefined>(
      'vscode.executeCodeLensProvider',
      uri,
      100,
    )) ?? [];
  return lenses
    .map((l) => ({
      line: l.range.start.line,
      title: l.command?.title ?? '',
      text: doc.lineAt(l.range.start.line).text,
    }))
    .filter((l) => l.title.startsWith('Hotloop'));
}

/**
 * Polls `probe` until it returns a value (not undefined) or the time is up; a probe whose provider
 * request VS Code cancelled (a `Canceled` error) is polled again.
 */
export async function eventually<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  ms = 60_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    let v: T | undefined;
    try {
      v = await probe();
    } catch (err) {
      // A provider request VS Code cancelled (the document or the view changed under it: a lens
      // refresh on a loaded machine) is asked again; any other error is the answer.
      if (!(err instanceof Error && (err.name === 'Canceled' || err.message === 'Canceled'))) throw err;
    }
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
