// `hotloop advise --run`: the shapes advisor runs the program under V8's IC log; its polymorphic
// sites come under `shapes` in --json and as blocks in the text (site, shapes, advice); without
// --run there is no `shapes` key (nothing is run).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { advise, withQuickCalibration } from '../support/adviseCli.js';

interface Site {
  readonly file: string;
  readonly line: number;
  readonly key: string;
  readonly verdict: { readonly kind: string };
}

const FIXTURE = 'test/fixtures/advisors/shapes/positive/propertyOrder.js';

describe('hotloop advise: shapes (--run)', () => {
  withQuickCalibration('hotloop-shapes-cal');

  test('--json: the polymorphic sites under `shapes`', async () => {
    const r = await advise([FIXTURE, '--run', FIXTURE, '--json']);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out) as { shapes: Site[] };
    assert.deepEqual(
      json.shapes.filter((s) => s.verdict.kind === 'advice').map((s) => [s.file, s.line, s.key]),
      [
        [FIXTURE, 14, 'x'],
        [FIXTURE, 14, 'y'],
      ],
    );
  });

  test('text: the site with its shapes and the advice; no `shapes` without --run', async () => {
    const r = await advise(['--run', FIXTURE]);
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      /propertyOrder\.js:14:\d+ {2}shapes polymorphic x in norm1 .*\{ y, x \} made in fromPair/,
    );
    assert.match(r.out, /→ give these objects one shape/);
    const plain = await advise([FIXTURE, '--json']);
    assert.equal('shapes' in (JSON.parse(plain.out) as object), false);
  });
});
