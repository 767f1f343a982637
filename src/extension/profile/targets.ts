// Choosing what to profile: command arguments (tests, keybindings), the `hotloop.profile.defaultTarget`
// setting, or a quick pick (current file, a chosen script, an npm script, a test command) that
// remembers the last choice per workspace.
import * as vscode from 'vscode';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { ProfileTarget } from '../../core/profile/types.js';

const LAST_KEY = 'hotloop.profile.lastTarget';
const TS_EXT = new Set(['.ts', '.mts', '.cts', '.tsx']);
const JS_EXT = new Set(['.js', '.mjs', '.cjs', '.jsx']);

/** Splits a command line into arguments (double or single quotes group; no shell is involved). */
export function splitCommandLine(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line))
    out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3] ?? ''));
  return out;
}

/** A file target: TS and JS both go through the esbuild bundle with source maps. */
export function fileTarget(path: string, args: readonly string[] = []): ProfileTarget {
  return { kind: 'file', file: path, args };
}

/** Parses the setting form: `file:<path>`, `script:<path>`, `npm:<script>`, `command:<line>`. */
export function parseTargetSetting(value: string): ProfileTarget | undefined {
  const m = /^(file|script|npm|command):(.*)$/.exec(value.trim());
  if (!m) return undefined;
  const [, kind, rest = ''] = m;
  const words = splitCommandLine(rest);
  const [first, ...args] = words;
  if (!first) return undefined;
  switch (kind) {
    case 'file':
      return { kind: 'file', file: first, args };
    case 'script':
      return { kind: 'script', file: first, args };
    case 'npm':
      return { kind: 'npm', script: first, args };
    default:
      return { kind: 'command', command: words };
  }
}

/** Validates a target given as a command argument (tests, other extensions). */
export function targetFromArgument(arg: unknown): ProfileTarget | undefined {
  if (typeof arg === 'string') return parseTargetSetting(arg);
  if (arg instanceof vscode.Uri) return fileTarget(arg.fsPath);
  const t = arg as Partial<Record<string, unknown>> | null;
  if (!t || typeof t !== 'object') return undefined;
  const args = Array.isArray(t.args) ? t.args.map(String) : [];
  if ((t.kind === 'file' || t.kind === 'script') && typeof t.file === 'string')
    return { kind: t.kind, file: t.file, args };
  if (t.kind === 'npm' && typeof t.script === 'string') return { kind: 'npm', script: t.script, args };
  if (t.kind === 'command' && Array.isArray(t.command) && t.command.length > 0)
    return { kind: 'command', command: t.command.map(String) };
  return undefined;
}

interface TargetItem extends vscode.QuickPickItem {
  readonly pick: () => Promise<ProfileTarget | undefined> | ProfileTarget | undefined;
}

function npmScripts(root: string): string[] {
  const pkg = join(root, 'package.json');
  if (!existsSync(pkg)) return [];
  try {
    const scripts =
      (JSON.parse(readFileSync(pkg, 'utf8')) as { scripts?: Record<string, unknown> }).scripts ?? {};
    return Object.keys(scripts);
  } catch {
    return [];
  }
}

function describe(t: ProfileTarget): string {
  switch (t.kind) {
    case 'file':
      return `${vscode.workspace.asRelativePath(t.file)}${t.args?.length ? ` ${t.args.join(' ')}` : ''}`;
    case 'script':
      return `${vscode.workspace.asRelativePath(t.file)} (as is)`;
    case 'npm':
      return `npm run ${t.script}`;
    case 'command':
      return t.command.join(' ');
  }
}

/** Asks the user for a target (quick pick), remembering the choice in the workspace state. */
export async function pickTarget(root: string, memento: vscode.Memento): Promise<ProfileTarget | undefined> {
  const items: TargetItem[] = [];
  const last = targetFromArgument(memento.get<unknown>(LAST_KEY));
  if (last)
    items.push({ label: `$(history) ${describe(last)}`, description: 'last choice', pick: () => last });
  const editor = vscode.window.activeTextEditor;
  const ext = editor ? extname(editor.document.uri.fsPath) : '';
  if (editor && editor.document.uri.scheme === 'file' && (TS_EXT.has(ext) || JS_EXT.has(ext))) {
    const file = editor.document.uri.fsPath;
    items.push({
      label: `$(file-code) Current file`,
      description: vscode.workspace.asRelativePath(file),
      pick: () => fileTarget(file),
    });
  }
  items.push({
    label: '$(file) Choose a script…',
    description: 'TS is bundled with source maps; JS runs as is',
    pick: async () => {
      const uris = await vscode.window.showOpenDialog({
        canSelectMany: false,
        defaultUri: vscode.Uri.file(root),
        filters: { 'TypeScript / JavaScript': ['ts', 'mts', 'cts', 'js', 'mjs', 'cjs'] },
      });
      const file = uris?.[0]?.fsPath;
      if (!file) return undefined;
      return JS_EXT.has(extname(file)) ? { kind: 'script', file } : { kind: 'file', file };
    },
  });
  for (const script of npmScripts(root))
    items.push({ label: `$(package) npm run ${script}`, pick: () => ({ kind: 'npm', script }) });
  items.push({
    label: '$(beaker) Test command…',
    description: 'e.g. npm test, npx mocha',
    pick: async () => {
      const line = await vscode.window.showInputBox({
        prompt: 'Command to profile (no shell: arguments are split on spaces, quotes group)',
        value: 'npm test',
      });
      const command = line ? splitCommandLine(line) : [];
      return command.length ? { kind: 'command', command } : undefined;
    },
  });
  const chosen = await vscode.window.showQuickPick(items, {
    title: 'Hotloop: Profile…',
    placeHolder: 'What should run under the profiler?',
  });
  const target = await chosen?.pick();
  if (target) await memento.update(LAST_KEY, target);
  return target;
}
