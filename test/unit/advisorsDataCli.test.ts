// `hotloop advise` with the layout and hashing advisors: their findings come under `layout` and
// `hashing` in --json and as blocks in the text, and an IO-bound loop still gets the IO advice only.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { advise, withQuickCalibration } from '../support/adviseCli.js';

interface Finding {
  readonly kind: string;
  readonly line: number;
  readonly verdict: { readonly kind: string };
}

describe('hotloop advise: layout and hashing', () => {
  withQuickCalibration('hotloop-data-cal');

  test('--json: findings under `layout` and `hashing`', async () => {
    const r = await advise([
      'test/fixtures/advisors/layout/positive/forOfWeighted.ts',
      'test/fixtures/advisors/hashing/positive/counts.ts',
      'test/fixtures/advisors/hashing/negative/jsonRecord.ts',
      '--json',
    ]);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out) as { layout: Finding[]; hashing: Finding[] };
    assert.deepEqual(
      json.layout.map((f) => [f.kind, f.line, f.verdict.kind]),
      [['objects-to-columns', 17, 'rewrite']],
    );
    assert.deepEqual(json.hashing.map((f) => [f.kind, f.line, f.verdict.kind]).sort(), [
      ['object-as-map', 3, 'left-alone'],
      ['object-as-map', 5, 'rewrite'],
    ]);
  });

  test('text: the rewrite with its assumption; a look-alike with its reason', async () => {
    const r = await advise([
      'test/fixtures/advisors/layout/positive/matrixRows.ts',
      'test/fixtures/advisors/layout/negative/notHot.ts',
    ]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /matrixRows\.ts:8 {2}layout rows-to-flat of m in power {2}.*one flat Float64Array/);
    assert.match(
      r.out,
      /\n {2}✓ layout {3}VS Code: the light bulb on the loop applies it\n {4}assumes .*same length/,
    );
    assert.match(
      r.out,
      /notHot\.ts:10 {2}layout objects-to-columns of points in weightedMean {2}left as is: not hot enough/,
    );
  });

  test('an IO-bound loop gets no layout or hashing block', async () => {
    const fixture = 'test/fixtures/advisors/io/mixed.ts';
    const r = await advise([fixture, '--json']);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out) as { io: Finding[]; layout: Finding[]; hashing: Finding[] };
    assert.equal(json.io.length, 1);
    assert.deepEqual([...json.layout, ...json.hashing], []);
  });
});
