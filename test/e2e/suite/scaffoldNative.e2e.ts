// A native rewrite from a lens in the real extension host: the "Scaffold native…" lens above the sum
// loop of examples/src/sensorStats.ts writes hotloop/sum-native/, which then builds with node-gyp and
// passes its own generated check — the commands of its README.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import { activateHotloop, eventually, requireWorkspaceFile, workspaceUri } from './helpers.js';

interface ScaffoldArgs { uri: vscode.Uri; loopId: string; target: string; preview?: boolean }
const run = promisify(execFile);

suite('Scaffold native rewrite', () => {
  test('the "Scaffold native…" lens writes an addon that builds and matches the original', async function () {
    this.timeout(300_000);
    const uri = requireWorkspaceFile(this, 'src/sensorStats.ts');
    await activateHotloop();
    await vscode.workspace.openTextDocument(uri);
    const lens = await eventually(async () => {
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[] | undefined>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
      return lenses.find((l) => l.command?.title === 'Scaffold native…' && (l.command.arguments?.[0] as ScaffoldArgs | undefined)?.loopId.includes('#sum/'));
    }, 'a "Scaffold native…" lens on the sum loop');
    const args = lens.command!.arguments![0] as ScaffoldArgs;
    const dir = workspaceUri('hotloop/sum-native');
    rmSync(dir.fsPath, { recursive: true, force: true });
    try {
      const outcome = await vscode.commands.executeCommand<{ ok: boolean; reason?: string }>(lens.command!.command, { ...args, preview: false });
      assert.ok(outcome.ok, outcome.reason);
      for (const file of ['binding.gyp', 'src/kernel.cc', 'index.ts', 'original.ts', 'README.md']) {
        const path = vscode.Uri.joinPath(dir, file).fsPath;
        await eventually(() => (existsSync(path) ? true : undefined), `${file} to appear`, 10_000);
      }
      assert.match(readFileSync(vscode.Uri.joinPath(dir, 'README.md').fsPath, 'utf8'), /npm run build/);
      // node-gyp uses this Node's own headers (no download); the folder's dependencies resolve from the node_modules above the workspace (no network).
      const opts = { cwd: dir.fsPath, maxBuffer: 1 << 26, env: { ...process.env, npm_config_nodedir: dirname(dirname(realpathSync(process.execPath))) } };
      await run('npm', ['run', 'build'], opts).catch((err: unknown) => {
        const e = err as { stdout?: string; stderr?: string };
        throw new Error(`npm run build failed:\n${(e.stdout ?? '').slice(-3000)}${(e.stderr ?? '').slice(-3000)}`);
      });
      assert.ok(existsSync(vscode.Uri.joinPath(dir, 'build/Release/kernel.node').fsPath), 'the addon was built');
      const { stdout } = await run('npm', ['run', 'check'], opts);
      assert.match(stdout, /matches the original/);
    } finally {
      rmSync(dir.fsPath, { recursive: true, force: true });
    }
  });
});
