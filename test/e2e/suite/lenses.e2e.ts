// Code lenses through VS Code's own `vscode.executeCodeLensProvider` on the examples workspace.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import * as vscode from 'vscode';
import { eventually, hotloopLenses, requireWorkspaceFile, workspaceUri } from './helpers.js';

const LOOP_LINE = /\b(for|while|do)\b|\.(map|reduce|forEach|filter|some|every)\s*\(/;
const TRANSLATABLE = /^Hotloop: .+ · translatable\b/;
const NOT_TRANSLATABLE = /^Hotloop: not translatable — \S/;

/** Lenses of a file, waiting for the first non-empty answer (the engine loads lazily). */
function lensesOf(uri: vscode.Uri): Promise<{ line: number; title: string; text: string }[]> {
  return eventually(async () => {
    const lenses = await hotloopLenses(uri);
    return lenses.length ? lenses : undefined;
  }, `Hotloop lenses in ${uri.path}`);
}

suite('Code lenses', () => {
  test('sensorStats.ts: a translatable reduction, lens on the loop line', async function () {
    const uri = requireWorkspaceFile(this, 'src/sensorStats.ts');
    const lenses = await lensesOf(uri);
    const translatable = lenses.filter((l) => TRANSLATABLE.test(l.title));
    assert.ok(
      translatable.length > 0,
      `no "Hotloop: … · translatable" lens; got ${JSON.stringify(lenses.map((l) => l.title))}`,
    );
    assert.ok(
      translatable.some((l) => /reduc/i.test(l.title)),
      `no translatable lens names a reduction: ${JSON.stringify(translatable.map((l) => l.title))}`,
    );
    for (const l of lenses)
      assert.match(l.text, LOOP_LINE, `lens "${l.title}" is not above a loop (line ${l.line + 1})`);
  });

  test('some example has a "not translatable — reason" lens', async function () {
    requireWorkspaceFile(this, 'src/sensorStats.ts');
    const names = readdirSync(workspaceUri('src').fsPath).filter((f) => /\.[cm]?[jt]s$/.test(f));
    const all: string[] = [];
    for (const name of names) {
      const lenses = await hotloopLenses(workspaceUri(`src/${name}`));
      for (const l of lenses) {
        assert.match(l.text, LOOP_LINE, `${name}:${l.line + 1}: lens "${l.title}" is not above a loop`);
        all.push(`${name}: ${l.title}`);
      }
    }
    assert.ok(
      all.some((t) => NOT_TRANSLATABLE.test(t.replace(/^[^:]+: /, ''))),
      `no not-translatable lens in examples/src: ${JSON.stringify(all)}`,
    );
  });

  test('hotloop.codeLens.enabled = false removes the lenses, and true brings them back', async function () {
    const uri = requireWorkspaceFile(this, 'src/sensorStats.ts');
    const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('hotloop');
    await lensesOf(uri);
    try {
      await config().update('codeLens.enabled', false, vscode.ConfigurationTarget.Workspace);
      await eventually(
        async () => ((await hotloopLenses(uri)).length === 0 ? true : undefined),
        'lenses to disappear',
      );
    } finally {
      await config().update('codeLens.enabled', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await lensesOf(uri);
  });

  test('hotloop.codeLens.showNotTranslatable = false hides only the not-translatable lenses', async function () {
    requireWorkspaceFile(this, 'src/sensorStats.ts');
    const names = readdirSync(workspaceUri('src').fsPath).filter((f) => /\.[cm]?[jt]s$/.test(f));
    let target: vscode.Uri | undefined;
    for (const name of names) {
      const lenses = await hotloopLenses(workspaceUri(`src/${name}`));
      if (
        lenses.some((l) => NOT_TRANSLATABLE.test(l.title)) &&
        lenses.some((l) => TRANSLATABLE.test(l.title))
      ) {
        target = workspaceUri(`src/${name}`);
        break;
      }
    }
    if (!target) this.skip(); // the previous test already demands a not-translatable lens somewhere
    const uri = target;
    const config = vscode.workspace.getConfiguration('hotloop');
    try {
      await config.update('codeLens.showNotTranslatable', false, vscode.ConfigurationTarget.Workspace);
      const after = await eventually(async () => {
        const lenses = await hotloopLenses(uri);
        return lenses.some((l) => NOT_TRANSLATABLE.test(l.title)) ? undefined : lenses;
      }, 'not-translatable lenses to disappear');
      assert.ok(
        after.some((l) => TRANSLATABLE.test(l.title)),
        'the translatable lenses went too',
      );
    } finally {
      await config.update('codeLens.showNotTranslatable', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
