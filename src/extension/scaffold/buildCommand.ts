// `hotloop.buildScaffold` — "Build scaffold…": build a scaffold folder with the commands of its
// README and run its check, through the engine (core/scaffold/build). The folder comes from the
// arguments (`{ dir }`, a Uri from the explorer, a path) or a quick pick of the workspace's scaffold
// folders. Progress with cancel, compiler output in the Hotloop log, a clear message with "Show log"
// on failure; resolves with the result (tests read it) and never throws into the host.
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import type { BuildResult } from '../../core/scaffold/build/types.js';
import { signalFromToken } from '../cancellation.js';
import type { Services } from '../services.js';

export const buildScaffoldCommandId = 'hotloop.buildScaffold';

/** Arguments: `{ dir }` (tests, the scaffold command's "Build" button), or a folder Uri/path (explorer menu). */
export type BuildArgs = { readonly dir?: vscode.Uri | string } | vscode.Uri | string | undefined;

export type BuildOutcome = BuildResult | { readonly ok: false; readonly reason: string };

function dirOf(args: BuildArgs): string | undefined {
  const raw = args instanceof vscode.Uri || typeof args === 'string' ? args : args?.dir;
  if (raw === undefined) return undefined;
  if (typeof raw === 'string') return /^\w\w+:/.test(raw) ? vscode.Uri.parse(raw).fsPath : raw;
  return raw.fsPath;
}

/** Folders of the workspace that are Hotloop scaffolds (by their package.json marker), as a quick pick. */
async function pickFolder(services: Services): Promise<string | undefined> {
  const engine = services.engine();
  const files = await vscode.workspace.findFiles('**/package.json', '**/node_modules/**', 1000);
  const folders = files
    .map((f) => engine.detectScaffold(dirname(f.fsPath)))
    // Only folders with Hotloop's marker: a project of the user's with a binding.gyp is not offered.
    .filter((f) => f.ok)
    .filter((f) => f.kernel !== undefined)
    .sort((a, b) => a.dir.localeCompare(b.dir));
  if (folders.length === 0) {
    void vscode.window.showInformationMessage(
      'Hotloop: no scaffold folder in this workspace. Scaffold a rewrite first ("Hotloop: Scaffold rewrite…" or a lens action).',
    );
    return undefined;
  }
  if (folders.length === 1) return folders[0]!.dir;
  const picked = await vscode.window.showQuickPick(
    folders.map((f) => ({
      label: vscode.workspace.asRelativePath(f.dir),
      description: `${f.kind}${f.kernel ? ` · ${f.kernel}` : ''}`,
      dir: f.dir,
    })),
    { title: 'Build scaffold: which folder?' },
  );
  return picked?.dir;
}

/** Forwards streamed output to the log channel line by line. */
function lineLogger(services: Services): { write(text: string): void; flush(): void } {
  let partial = '';
  return {
    write(text) {
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) services.log.info(`[build] ${line.trimEnd()}`);
    },
    flush() {
      if (partial) services.log.info(`[build] ${partial.trimEnd()}`);
      partial = '';
    },
  };
}

function report(services: Services, rel: string, r: BuildResult): void {
  if (r.ok) {
    const fallback = r.fallback ? ' (no WebGPU adapter here: the check ran the original JavaScript)' : '';
    void vscode.window.showInformationMessage(
      `Hotloop: built ${rel}${r.checkPassed ? '; its check matches the original' : ''}${fallback}.`,
    );
    return;
  }
  if (r.failure === 'cancelled') {
    void vscode.window.showInformationMessage(`Hotloop: the build of ${rel} was cancelled.`);
    return;
  }
  const first = (r.reason ?? '').split('\n').filter(Boolean);
  const compiler = first.find((l) => /error( TS\d+)?:/i.test(l))?.trim();
  const headline = `${first[0] ?? `build failed (${String(r.failure)})`}${compiler ? ` ${compiler}` : ''}`;
  void vscode.window
    .showErrorMessage(
      `Hotloop: ${headline.length > 400 ? `${headline.slice(0, 400)}…` : headline}`,
      'Show log',
    )
    .then((c) => {
      if (c) services.log.show(true);
    });
}

async function build(services: Services, args: BuildArgs): Promise<BuildOutcome> {
  if (!services.requireTrust('Building a scaffold'))
    return { ok: false, reason: 'Building a scaffold runs its build scripts: it needs a trusted workspace.' };
  const dir = dirOf(args) ?? (await pickFolder(services));
  if (!dir) return { ok: false, reason: 'cancelled' };
  const engine = services.engine();
  const rel = vscode.workspace.asRelativePath(dir);
  const out = lineLogger(services);
  services.log.info(`build: ${dir}`);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Hotloop: building ${rel}`, cancellable: true },
    async (progress, token) => {
      const cancel = signalFromToken(token);
      try {
        return await engine.buildScaffold(dir, {
          signal: cancel.signal,
          sandbox: services.settings.get('build.sandbox'),
          log: services.log,
          onOutput: (text) => {
            out.write(text);
          },
          onStep: (s) => {
            progress.report({ message: [s.cmd, ...s.args].join(' ') });
          },
        });
      } finally {
        out.flush();
        cancel.dispose();
      }
    },
  );
  report(services, rel, result);
  return result;
}

/** Runs the command; resolves with the build result (or why nothing was built), never rejects. */
export async function runBuildScaffold(services: Services, args?: BuildArgs): Promise<BuildOutcome> {
  try {
    return await build(services, args);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    services.log.error(`build: ${reason}`);
    void vscode.window
      .showErrorMessage(`Hotloop: building the scaffold failed: ${reason}`, 'Show log')
      .then((c) => {
        if (c) services.log.show(true);
      });
    return { ok: false, reason };
  }
}
