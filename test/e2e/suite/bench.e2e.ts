// Benchmarks in the real extension host: the commands exist, a benchmark run through the
// `hotloop.benchmark` command (as a lens calls it) catches a wrong variant, names the winner, saves the
// result under .hotloop/results/ and opens the results webview; "Open results" shows the latest.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activateHotloop, manifest } from './helpers.js';

interface Result {
  readonly id: string;
  readonly winner: string;
  readonly kernel: string;
  readonly variants: readonly { readonly id: string; readonly correctness: { readonly status: string } }[];
}

const spec = {
  kernel: 'e2e-sum',
  n: 20_000,
  args: [{ kind: 'array', dtype: 'f64' }],
  variants: [
    { id: 'original', label: 'original', module: 'builtin:talk', export: 'sum', input: 'array' },
    { id: 'typed', label: 'plain JS on Float64Array', module: 'builtin:talk', export: 'sum', input: 'typed' },
    { id: 'wrong', label: 'wrong sum', module: 'builtin:talk', export: 'sumWrong', input: 'typed' },
  ],
};

function resultsTabOpen(): boolean {
  return vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('hotloop.results')));
}

suite('Benchmarks and results', () => {
  suiteSetup(async () => {
    await activateHotloop();
  });

  test('the three commands are contributed and registered', async () => {
    const ids = ['hotloop.benchmark', 'hotloop.openResults', 'hotloop.reproduceTalkTable'];
    const contributed = new Set(manifest().contributes.commands?.map((c) => c.command));
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of ids) {
      assert.ok(contributed.has(id), `${id} in package.json`);
      assert.ok(registered.has(id), `${id} registered`);
    }
  });

  test('a benchmark run from the command catches the wrong variant, saves and shows the result', async function () {
    this.timeout(120_000);
    const result = await vscode.commands.executeCommand<Result | undefined>('hotloop.benchmark', spec, { samples: 8, sampleMs: 5, warmupMs: 20 });
    assert.ok(result, 'the benchmark returned a result');
    assert.equal(result.kernel, 'e2e-sum');
    assert.equal(result.variants.find((v) => v.id === 'wrong')?.correctness.status, 'wrong');
    assert.notEqual(result.winner, 'wrong');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder);
    const dir = join(folder, '.hotloop', 'results', 'e2e-sum');
    assert.ok(existsSync(dir) && readdirSync(dir).some((f) => f.startsWith(result.id)), `saved under ${dir}`);
    assert.ok(resultsTabOpen(), 'the results webview is open');
    const latest = await vscode.commands.executeCommand<string | undefined>('hotloop.openResults');
    assert.equal(latest, result.id);
  });
});
