// The "Hot loops" tree view's data, through the tree the extension returns from activate()
// (HotloopApi.hotLoops) and the TreeDataProvider calls VS Code itself makes. The UI suite checks
// the rendered rows.
import assert from 'node:assert/strict';
import type { HotloopApi } from '../../../src/extension/extension.js';
import { activateHotloop, requireWorkspaceFile } from './helpers.js';

suite('Hot loops tree', () => {
  test('lists the example files with their loops, as VS Code would render them', async function () {
    requireWorkspaceFile(this, 'src/sensorStats.ts');
    const api = (await activateHotloop()).exports as HotloopApi;
    await api.hotLoops.scan();
    const roots = api.hotLoops.getChildren();
    const stats = roots.find((n) => n.kind === 'file' && n.file.endsWith('sensorStats.ts'));
    assert.ok(
      stats?.kind === 'file',
      `no sensorStats.ts row; rows: ${JSON.stringify(roots.map((n) => n.file))}`,
    );
    assert.ok(
      stats.total > 0 && stats.translatable > 0,
      `sensorStats.ts: ${stats.total} loops, ${stats.translatable} translatable`,
    );
    const fileItem = api.hotLoops.getTreeItem(stats);
    assert.match(String(fileItem.description), /^\d+ loops?, \d+ translatable/);
    const loops = api.hotLoops.getChildren(stats);
    assert.equal(loops.length, stats.loops.length);
    const labelOf = (l: (typeof loops)[number]): string => {
      const label = api.hotLoops.getTreeItem(l).label;
      return typeof label === 'string' ? label : (label?.label ?? '');
    };
    const labels = loops.map(labelOf);
    for (const label of labels) assert.match(label, /(\(\)|top level) line \d+$/);
    const descriptions = loops.map((l) => String(api.hotLoops.getTreeItem(l).description));
    assert.ok(
      descriptions.some((d) => / · translatable/.test(d)),
      `no translatable loop row: ${JSON.stringify(descriptions)}`,
    );
  });
});
