// `hotloop advise` on the columnar advisor's findings: the rewrite and the look-alike's reason in the
// text output, and the findings under `columnar` in --json.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { advise, withQuickCalibration } from '../support/adviseCli.js';
import type { ColumnarFinding } from '../../src/core/advisors/columnar/index.js';

const POSITIVE = 'test/fixtures/advisors/columnar/positive/csvTwoQueries.ts';
const NEGATIVE = 'test/fixtures/advisors/columnar/negative/onePass.ts';

describe('hotloop advise: columnar findings', () => {
  withQuickCalibration('hotloop-columnar-cal');

  test('--json: the findings come under `columnar`', async () => {
    const r = await advise([POSITIVE, NEGATIVE, '--json']);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out) as { columnar: ColumnarFinding[] };
    assert.deepEqual(
      json.columnar.map((f) => [f.file, f.records, f.line, f.verdict.kind]),
      [
        [POSITIVE, 'trades', 4, 'rewrite'],
        [NEGATIVE, 'rows', 4, 'left-alone'],
      ],
    );
  });

  test('text: the rewrite with its columns, the look-alike with its reason', async () => {
    const r = await advise([POSITIVE, NEGATIVE]);
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      /csvTwoQueries\.ts:4 {2}columnar `trades` \(mapped-literal\) in run {2}2 pipeline\(s\) .*price: Float64Array, qty: Int32Array/,
    );
    assert.match(r.out, /^ {4}assumes nothing changes `trades`/m);
    assert.match(r.out, /onePass\.ts:4 {2}columnar `rows` .*left as is: one pipeline, run once/);
  });
});
