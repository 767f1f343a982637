// A native rewrite from a lens in the real extension host: the "Scaffold native…" lens above the sum
// loop of examples/src/sensorStats.ts writes hotloop/sum-native/, which Hotloop's own "Build
// scaffold…" command (hotloop.buildScaffold) then builds with node-gyp — the commands of its README —
// and checks against the original with the folder's generated check.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as vscode from 'vscode';
import { activateHotloop, eventually, requireWorkspaceFile, workspaceUri } from './helpers.js';

interface ScaffoldArgs {
  uri: vscode.Uri;
  loopId: string;
  target: string;
  preview?: boolean;
}
interface BuildOutcome {
  ok: boolean;
  kind?: string;
  checkPassed?: boolean;
  reason?: string;
  steps?: { cmd: string; args: string[]; code: number | null; skipped?: string }[];
}

suite('Scaffold native rewrite', () => {
  test('the "Scaffold native…" lens writes an addon that builds and matches the original', async function () {
    this.timeout(300_000);
    const uri = requireWorkspaceFile(this, 'src/sensorStats.ts');
    await activateHotloop();
    await vscode.workspace.openTextDocument(uri);
    const lens = await eventually(async () => {
      const lenses =
        (await vscode.commands.executeCommand<vscode.CodeLens[] | undefined>(
          'vscode.executeCodeLensProvider',
          uri,
          100,
        )) ?? [];
      return lenses.find(
        (l) =>
          l.command?.title === 'Scaffold native…' &&
          (l.command.arguments?.[0] as ScaffoldArgs | undefined)?.loopId.includes('#sum/'),
      );
    }, 'a "Scaffold native…" lens on the sum loop');
    const args = lens.command!.arguments![0] as ScaffoldArgs;
    const dir = workspaceUri('hotloop/sum-native');
    rmSync(dir.fsPath, { recursive: true, force: true });
    try {
      const outcome = await vscode.commands.executeCommand<{ ok: boolean; reason?: string }>(
        lens.command!.command,
        { ...args, preview: false },
      );
      assert.ok(outcome.ok, outcome.reason);
      for (const file of ['binding.gyp', 'src/kernel.cc', 'index.ts', 'original.ts', 'README.md']) {
        const path = vscode.Uri.joinPath(dir, file).fsPath;
        await eventually(() => (existsSync(path) ? true : undefined), `${file} to appear`, 10_000);
      }
      assert.match(readFileSync(vscode.Uri.joinPath(dir, 'README.md').fsPath, 'utf8'), /npm run build/);
      // Hotloop builds it from the installed extension alone: node-gyp against the headers of the node on
      // PATH (no download); the toolchain is installed once per workspace into hotloop/node_modules
      // (`npm install`, from npm's cache), or skipped when an earlier test of this window installed it.
      const built = await vscode.commands.executeCommand<BuildOutcome>('hotloop.buildScaffold', {
        dir: dir.fsPath,
      });
      assert.ok(built.ok, built.reason);
      assert.equal(built.kind, 'native');
      assert.equal(built.checkPassed, true, 'the generated check matches the original');
      assert.deepEqual(
        built.steps?.map((st) => [
          st.args.join(' '),
          st.args[0] === 'install' && st.code === null ? 0 : st.code,
        ]),
        [
          ['install', 0],
          ['run build', 0],
          ['run check', 0],
        ],
      );
      assert.ok(
        existsSync(vscode.Uri.joinPath(dir, 'build/Release/kernel.node').fsPath),
        'the addon was built',
      );
    } finally {
      rmSync(dir.fsPath, { recursive: true, force: true });
    }
  });

  test('"Build scaffold" on a folder that is not a scaffold resolves with a clear reason, without throwing', async () => {
    await activateHotloop();
    const built = await vscode.commands.executeCommand<BuildOutcome & { failure?: string }>(
      'hotloop.buildScaffold',
      { dir: workspaceUri('src').fsPath },
    );
    assert.equal(built.ok, false);
    assert.equal(built.failure, 'not-a-scaffold');
    assert.match(
      built.reason ?? '',
      /is not a Hotloop scaffold folder \(no package\.json\)\. Make one with "Hotloop: Scaffold rewrite…"/,
    );
  });
});
