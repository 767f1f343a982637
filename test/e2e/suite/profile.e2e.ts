// Hotloop: Profile… in the real extension host: profile examples/src/main.ts (the matmul workload)
// non-interactively through the command's argument, then see a heat lens on matmul.ts, the status
// bar's profile and the stored result under .hotloop/profiles/.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import * as vscode from 'vscode';
import { activateHotloop, eventually, hotloopLenses, requireWorkspaceFile, workspaceUri } from './helpers.js';

interface ProfileResultLike {
  readonly verdict: { readonly kind: string };
  readonly loops: readonly { readonly file: string; readonly totalShare: number }[];
}

const HEAT = /^Hotloop: \d+(?:\.\d)? % CPU\b/;

suite('Profile', () => {
  test('Profile… on examples/ gives matmul.ts a heat lens', async function () {
    this.timeout(240_000);
    requireWorkspaceFile(this, 'src/main.ts');
    const matmul = requireWorkspaceFile(this, 'src/matmul.ts');
    await activateHotloop();
    const result = await vscode.commands.executeCommand<ProfileResultLike | undefined>('hotloop.profile', {
      target: { kind: 'file', file: 'src/main.ts', args: ['matmul'] },
    });
    assert.ok(result, 'hotloop.profile returned no result');
    assert.equal(result.verdict.kind, 'cpu-bound');
    assert.ok(
      result.loops.some((l) => l.file === 'src/matmul.ts' && l.totalShare > 0.05),
      JSON.stringify(result.loops.slice(0, 3)),
    );
    const lenses = await eventually(async () => {
      const all = await hotloopLenses(matmul);
      return all.some((l) => HEAT.test(l.title)) ? all : undefined;
    }, 'a heat lens ("Hotloop: NN % CPU") in src/matmul.ts');
    const hot = lenses.filter((l) => HEAT.test(l.title));
    assert.ok(hot.length > 0, JSON.stringify(lenses.map((l) => l.title)));
    const stored = workspaceUri('.hotloop/profiles').fsPath;
    assert.ok(
      existsSync(stored) && readdirSync(stored).some((f) => f.endsWith('.json')),
      'the result is stored under .hotloop/profiles/',
    );
  });

  test('Toggle heat flips the per-line heat decorations', async () => {
    await activateHotloop();
    const first = await vscode.commands.executeCommand<boolean>('hotloop.toggleHeat');
    const second = await vscode.commands.executeCommand<boolean>('hotloop.toggleHeat');
    assert.equal(typeof first, 'boolean');
    assert.equal(second, !first);
  });
});
