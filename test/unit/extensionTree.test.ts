import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTree, fileRow, heatText, loopRow, replaceFile } from '../../src/extension/tree/treeModel.js';
import { fileAnalysis, gemmInner, gemmOuter, loop, parseLoop, sumLoop } from './extensionFixtures.js';

const stats = fileAnalysis('src/stats.ts', [
  sumLoop,
  loop({
    id: 'src/stats.ts#mean/0',
    functionName: 'mean',
    range: { start: { line: 1, character: 2 }, end: { line: 2, character: 0 } },
  }),
]);
const matmul = fileAnalysis('src/matmul.ts', [gemmInner, gemmOuter]);
const csv = fileAnalysis('src/csv.ts', [parseLoop]);
const empty = fileAnalysis('src/empty.ts', []);

describe('Hot loops tree', () => {
  test('files sorted by path, empty files hidden, loops by line, nested loops under their parent', () => {
    const tree = buildTree([stats, matmul, csv, empty]);
    assert.deepEqual(
      tree.map((f) => f.file),
      ['src/csv.ts', 'src/matmul.ts', 'src/stats.ts'],
    );
    const m = tree[1]!;
    assert.deepEqual(
      m.loops.map((l) => l.loop.id),
      ['src/matmul.ts#gemm/0'],
    );
    assert.deepEqual(
      m.loops[0]!.children.map((l) => l.loop.id),
      ['src/matmul.ts#gemm/1'],
    );
    assert.deepEqual(
      tree[2]!.loops.map((l) => l.loop.functionName),
      ['mean', 'sum'],
    );
    assert.equal(buildTree([empty], { hideEmpty: false }).length, 1);
  });

  test('a loop whose parent is missing is shown at the top level', () => {
    const tree = buildTree([fileAnalysis('src/matmul.ts', [gemmInner])]);
    assert.deepEqual(
      tree[0]!.loops.map((l) => l.loop.id),
      ['src/matmul.ts#gemm/1'],
    );
  });

  test('with heat, files and loops are ranked hottest first, unseen loops last', () => {
    const heat = new Map([
      ['src/stats.ts#sum/0', 0.41],
      ['src/matmul.ts#gemm/0', 0.07],
    ]);
    const tree = buildTree([stats, matmul, csv], { heat: (id) => heat.get(id) });
    assert.deepEqual(
      tree.map((f) => f.file),
      ['src/stats.ts', 'src/matmul.ts', 'src/csv.ts'],
    );
    assert.deepEqual(
      tree[0]!.loops.map((l) => l.loop.functionName),
      ['sum', 'mean'],
    );
    assert.equal(tree[0]!.heat, 0.41);
    assert.equal(tree[2]!.heat, undefined);
  });

  test('row texts', () => {
    const [file] = buildTree([matmul], { heat: (id) => (id === 'src/matmul.ts#gemm/0' ? 0.413 : undefined) });
    assert.equal(fileRow(file!).description, '2 loops, 2 translatable · hottest 41 % CPU');
    assert.deepEqual(loopRow(file!.loops[0]!), {
      label: 'gemm() line 5',
      description: '41 % CPU · matrix product (gemm) over Float64Array · translatable',
    });
    const [top] = buildTree([
      fileAnalysis('m.ts', [loop({ id: 'm.ts#<module>/0', functionName: '<module>' })]),
    ]);
    assert.equal(loopRow(top!.loops[0]!).label, 'top level line 4');
    assert.equal(fileRow(top!).description, '1 loop, 1 translatable');
  });

  test('heat text has one decimal below 10 %', () => {
    assert.equal(heatText(0.05), '5.0 % CPU');
    assert.equal(heatText(0.5), '50 % CPU');
  });

  test('replaceFile swaps a file in place or appends a new one', () => {
    const updated = fileAnalysis('src/stats.ts', [sumLoop]);
    assert.deepEqual(
      replaceFile([stats, csv], updated).map((a) => a.loops.length),
      [1, 1],
    );
    assert.deepEqual(
      replaceFile([csv], updated).map((a) => a.file),
      ['src/csv.ts', 'src/stats.ts'],
    );
  });
});
