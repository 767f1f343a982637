// Before/after in the real extension host: save a baseline of a small program (3 runs), replace its
// hot loop with the closed form, compare (3 runs): the command returns a "faster" verdict with the hot
// loop's share collapsed, and the results panel (webview) is open with the comparison.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { activateHotloop, eventually, workspaceUri } from './helpers.js';

interface ComparisonLike {
  readonly kind: string;
  readonly speedup: { readonly verdict: string; readonly ratio: number; readonly text: string };
  readonly loops: readonly { readonly functionName: string; readonly before?: { readonly totalShare: number }; readonly after?: { readonly totalShare: number } }[];
}

const program = (hot: boolean): string => `function sumOfRoots(n: number): number {
${hot ? '  let s = 0;\n  for (let i = 0; i < n; i++) {\n    s += Math.round(Math.sqrt(i) * Math.sqrt(i));\n  }\n  return s;' : '  return (n * (n - 1)) / 2;'}
}
console.log(sumOfRoots(60_000_000));
`;

suite('Before/after', () => {
  test('Save baseline, rewrite, Compare with baseline: faster, loop share collapsed, shown in the results panel', async function () {
    this.timeout(300_000);
    await activateHotloop();
    const file = workspaceUri('hotloopBeforeAfterE2e.ts').fsPath;
    const target = { kind: 'file', file: 'hotloopBeforeAfterE2e.ts' };
    try {
      writeFileSync(file, program(true));
      const saved = await vscode.commands.executeCommand<string | undefined>('hotloop.saveBaseline', { target, runs: 3 });
      assert.ok(saved?.endsWith('.json'), `baseline file: ${String(saved)}`);
      writeFileSync(file, program(false));
      const c = await vscode.commands.executeCommand<ComparisonLike | undefined>('hotloop.compareBeforeAfter', { target, runs: 3 });
      assert.ok(c, 'hotloop.compareBeforeAfter returned nothing');
      assert.equal(c.kind, 'before-after');
      assert.equal(c.speedup.verdict, 'faster', c.speedup.text);
      const hot = c.loops.find((l) => l.functionName === 'sumOfRoots');
      assert.ok(hot?.before && hot.before.totalShare > 0.5, JSON.stringify(c.loops));
      assert.ok((hot.after?.totalShare ?? 0) < 0.1, JSON.stringify(hot));
      // The panel is created as the command ends; the tab model catches up a moment later.
      const resultsTab = (): true | undefined => (vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('hotloop.results'))) ? true : undefined);
      await eventually(resultsTab, 'the results panel (webview tab) is open', 20_000);
    } finally {
      rmSync(file, { force: true });
    }
  });
});
