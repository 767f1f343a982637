// Before/after in the real extension host: save a baseline of a small program (5 runs), replace its
// hot loop with the closed form, compare (7 runs): the command returns a "faster" verdict with the hot
// loop's share collapsed, and the results panel (webview) is open with the comparison. The median
// "after" run is then the workspace's profile: stored under .hotloop/profiles/, and the heat lens of
// the rewritten program's remaining loop (checksum) shows its share from that profile.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { pct } from '../../../src/core/format.js';
import type { ProfileResult } from '../../../src/core/profile/types.js';
import { activateHotloop, eventually, hotloopLenses, workspaceUri } from './helpers.js';

interface ComparisonLike {
  readonly kind: string;
  readonly speedup: { readonly verdict: string; readonly ratio: number; readonly text: string };
  readonly loops: readonly {
    readonly functionName: string;
    readonly before?: { readonly totalShare: number };
    readonly after?: { readonly totalShare: number };
  }[];
}

/** After the rewrite a light loop (checksum, ≈ 20 ms against the hot loop's ≈ 400 ms) is left, for the heat lens. */
const CHECKSUM = `function checksum(n: number): number {
  let h = 0;
  for (let i = 0; i < n; i++) {
    h = (h * 31 + i) | 0;
  }
  return h;
}
console.log(checksum(3_000_000));
`;

const program = (hot: boolean): string => `function sumOfRoots(n: number): number {
${hot ? '  let s = 0;\n  for (let i = 0; i < n; i++) {\n    s += Math.round(Math.sqrt(i) * Math.sqrt(i));\n  }\n  return s;' : '  return (n * (n - 1)) / 2;'}
}
${hot ? '' : CHECKSUM}console.log(sumOfRoots(60_000_000));
`;

/** The newest stored profile of the workspace (what the profile feature reloads). */
function newestStoredProfile(): ProfileResult | undefined {
  const dir = workspaceUri('.hotloop/profiles').fsPath;
  if (!existsSync(dir)) return undefined;
  const all = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as ProfileResult);
  return all.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
}

suite('Before/after', () => {
  test('Save baseline, rewrite, Compare with baseline: faster, loop share collapsed, shown in the results panel', async function () {
    this.timeout(300_000);
    await activateHotloop();
    const file = workspaceUri('hotloopBeforeAfterE2e.ts').fsPath;
    const target = { kind: 'file', file: 'hotloopBeforeAfterE2e.ts' };
    try {
      writeFileSync(file, program(true));
      const saved = await vscode.commands.executeCommand<string | undefined>('hotloop.saveBaseline', {
        target,
        runs: 5,
      });
      assert.ok(saved?.endsWith('.json'), `baseline file: ${String(saved)}`);
      writeFileSync(file, program(false));
      const compareStarted = new Date().toISOString();
      const c = await vscode.commands.executeCommand<ComparisonLike | undefined>(
        'hotloop.compareBeforeAfter',
        { target, runs: 7 },
      );
      assert.ok(c, 'hotloop.compareBeforeAfter returned nothing');
      assert.equal(c.kind, 'before-after');
      assert.equal(c.speedup.verdict, 'faster', c.speedup.text);
      const hot = c.loops.find((l) => l.functionName === 'sumOfRoots');
      assert.ok(hot?.before && hot.before.totalShare > 0.5, JSON.stringify(c.loops));
      assert.ok((hot.after?.totalShare ?? 0) < 0.1, JSON.stringify(hot));
      // The panel is created as the command ends; the tab model catches up a moment later.
      const resultsTab = (): true | undefined =>
        vscode.window.tabGroups.all.some((g) =>
          g.tabs.some(
            (t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('hotloop.results'),
          ),
        )
          ? true
          : undefined;
      await eventually(resultsTab, 'the results panel (webview tab) is open', 20_000);

      // The "after" profile is the current one: stored, with the checksum loop, and its heat in the lens.
      const stored = newestStoredProfile();
      assert.ok(
        stored && stored.createdAt >= compareStarted && stored.label.includes('hotloopBeforeAfterE2e'),
        `newest stored profile: ${stored ? `${stored.label} of ${stored.createdAt}` : 'none'} (compare began ${compareStarted})`,
      );
      const checksum = stored.loops.find((l) => l.functionName === 'checksum');
      assert.ok(
        checksum,
        `the after profile has no checksum loop: ${JSON.stringify(stored.loops.map((l) => l.functionName))}`,
      );
      const heat = `${pct(checksum.totalShare)} CPU`;
      const lens = await eventually(
        async () =>
          (await hotloopLenses(vscode.Uri.file(file))).find(
            (l) => l.text.includes('for (let i') && l.title.includes(heat),
          ),
        `a heat lens "${heat}" on checksum's loop`,
        20_000,
      );
      assert.match(lens.title, /^Hotloop: /);
    } finally {
      rmSync(file, { force: true });
    }
  });
});
