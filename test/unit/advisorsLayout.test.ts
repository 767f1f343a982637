// The memory-layout advisor on its fixtures: goldens of the findings and of the rewritten files; the
// rewritten positives return what the originals return (sizes 0, 1, odd, larger; values with NaN,
// ±Infinity, -0 and integers), and the look-alikes get no rewrite, each with its reason.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { adviseLayout, applyLayout, type LayoutFinding } from '../../src/core/advisors/layout/index.js';
import { valueFixtureSuite } from '../support/advisorValueSuite.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'advisors', 'layout');

const summary = (f: LayoutFinding): unknown => {
  const v = f.verdict;
  return {
    kind: f.kind,
    line: f.line,
    functionName: f.functionName,
    array: f.array,
    verdict: v.kind === 'rewrite' ? { kind: v.kind, summary: v.summary, assumes: v.assumes } : v,
  };
};

valueFixtureSuite({ label: 'layout', dir, advise: adviseLayout, apply: applyLayout, summary });

test('layout advisor: the flat copy of ragged rows is a RangeError (the assumption it states), not wrong numbers', async () => {
  const path = join(dir, 'positive', 'matrixRows.rewritten.ts');
  const { power } = (await import(pathToFileURL(path).href)) as {
    power: (m: number[][], k: number) => number[];
  };
  const original = (await import(pathToFileURL(join(dir, 'positive', 'matrixRows.ts')).href)) as {
    power: (m: number[][], k: number) => number[];
  };
  assert.equal(original.power([[1, 2], [3]], 2).length, 2);
  assert.throws(() => power([[1, 2], [3]], 2), RangeError);
  assert.deepEqual(
    power(
      [
        [1, 2],
        [3, 4],
      ],
      2,
    ),
    original.power(
      [
        [1, 2],
        [3, 4],
      ],
      2,
    ),
  );
});
