// Benchmarks in the real extension host: the commands exist, a benchmark run through the
// `hotloop.benchmark` command (as a lens calls it) catches a wrong variant, names the winner, saves the
// result under .hotloop/results/ and opens the results webview; "Open results" shows the latest.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activateHotloop, manifest, requireWorkspaceFile } from './helpers.js';

interface Result {
  readonly id: string;
  readonly winner: string;
  readonly kernel: string;
  readonly variants: readonly { readonly id: string; readonly correctness: { readonly status: string } }[];
  readonly sweep?: {
    readonly points: readonly { readonly n: number; readonly ns: Readonly<Record<string, number>> }[];
    readonly crossover: Readonly<Record<string, number | null>>;
  };
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
  return vscode.window.tabGroups.all.some((g) =>
    g.tabs.some(
      (t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('hotloop.results'),
    ),
  );
}

suite('Benchmarks and results', () => {
  suiteSetup(async () => {
    await activateHotloop();
  });

  test('the benchmark commands are contributed and registered', async () => {
    const ids = [
      'hotloop.benchmark',
      'hotloop.benchmarkSweep',
      'hotloop.openResults',
      'hotloop.reproduceTalkTable',
    ];
    const contributed = new Set(manifest().contributes.commands?.map((c) => c.command));
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of ids) {
      assert.ok(contributed.has(id), `${id} in package.json`);
      assert.ok(registered.has(id), `${id} registered`);
    }
  });

  test('a benchmark run from the command catches the wrong variant, saves and shows the result', async function () {
    this.timeout(120_000);
    const result = await vscode.commands.executeCommand<Result | undefined>('hotloop.benchmark', spec, {
      samples: 8,
      sampleMs: 5,
      warmupMs: 20,
    });
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

  test('the "Benchmark…" lens of a loop carries the loop; the size sweep runs it at log-spaced n', async function () {
    this.timeout(180_000);
    const uri = requireWorkspaceFile(this, 'src/sensorStats.ts');
    await vscode.workspace.openTextDocument(uri);
    const lenses =
      (await vscode.commands.executeCommand<vscode.CodeLens[] | undefined>(
        'vscode.executeCodeLensProvider',
        uri,
        100,
      )) ?? [];
    const lens = lenses.find(
      (l) => l.command?.title === 'Benchmark…' && l.command.tooltip?.startsWith('Benchmark sumArray:'),
    );
    assert.ok(
      lens?.command,
      `no "Benchmark…" lens on sumArray; lenses: ${lenses.map((l) => l.command?.title).join(', ')}`,
    );
    assert.equal(lens.command.command, 'hotloop.benchmark');
    const args = lens.command.arguments?.[0] as { uri: string; loopId: string };
    assert.match(args.loopId, /sensorStats\.ts#sumArray\/0$/);
    const result = await vscode.commands.executeCommand<Result | undefined>(
      'hotloop.benchmarkSweep',
      { ...args, maxN: 10_000 },
      { samples: 6, sampleMs: 5, warmupMs: 20 },
    );
    assert.ok(result?.sweep, 'the sweep returned a result with a sweep');
    assert.equal(result.kernel, 'sumArray');
    assert.deepEqual(result.sweep.points.map((p) => p.n).slice(0, 3), [1, 3, 10]);
    assert.equal(result.sweep.points.at(-1)?.n, 10_000);
    assert.ok(
      result.sweep.points.every((p) => p.ns.original! > 0),
      'the original is timed at every n',
    );
    assert.ok('library' in result.sweep.crossover, 'a crossover entry for the kernel library');
    assert.ok(resultsTabOpen(), 'the results webview is open');
  });
});
