// The memory-layout advisor on its fixtures: goldens of the findings and of the rewritten files; the
// rewritten positives return what the originals return (sizes 0, 1, odd, larger; values with NaN,
// ±Infinity, -0 and integers), and the look-alikes get no rewrite, each with its reason.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import {
  fixtureAnalyser,
  fixtureNames,
  golden,
  strictDiagnostics,
  type FixtureKind,
} from '../support/advisorFixtures.js';
import { adviseLayout, applyLayout, type LayoutFinding } from '../../src/core/advisors/layout/index.js';
import type { Ctx } from '../fixtures/advisors/layout/ctx.js';

const root = join(import.meta.dirname, '..', '..');
const dir = join(root, 'test', 'fixtures', 'advisors', 'layout');
const fixtures = (kind: FixtureKind): string[] => fixtureNames(dir, kind);

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

const analyse = fixtureAnalyser(dir, adviseLayout, summary);

type Run = (ctx: Ctx) => unknown;
const load = async (path: string): Promise<Run> =>
  ((await import(pathToFileURL(path).href)) as { run: Run }).run;

const SPECIAL = [NaN, Infinity, -Infinity, -0, 0, 1, -3, 2 ** 31];

/** A seeded value source: mostly uniform doubles, one in eight a special value. */
function values(seed: number): () => number {
  let s = seed >>> 0;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  return () => {
    const u = next();
    return u < 0.125 ? SPECIAL[Math.floor(next() * SPECIAL.length)]! : (u - 0.5) * 200;
  };
}

const SIZES = [0, 1, 2, 7, 33, 200];

describe('layout advisor: positive fixtures', () => {
  const names = fixtures('positive');
  test('there are at least 5', () => {
    assert.ok(names.length >= 5, names.join(', '));
  });
  for (const name of names) {
    test(`${name}: rewritten as its golden, same results as the original`, async () => {
      const { text, findings } = analyse('positive', name);
      assert.equal(findings.length, 1);
      assert.equal(findings[0]!.verdict.kind, 'rewrite', JSON.stringify(findings[0]!.verdict));
      const out = applyLayout(join(dir, 'positive', name), text);
      assert.equal(out.rewritten, 1);
      const rewritten = join(dir, 'positive', name.replace(/\.(ts|js)$/, '.rewritten.$1'));
      golden(rewritten, out.text);
      assert.deepEqual(
        adviseLayout(rewritten, out.text).filter((f) => f.verdict.kind === 'rewrite'),
        [],
        'nothing left to rewrite',
      );
      const [a, b] = [await load(join(dir, 'positive', name)), await load(rewritten)];
      for (const n of SIZES)
        for (const seed of [1, 2, 3]) {
          const ctx = (): Ctx => ({ value: values(seed * 1000 + n), n });
          assert.deepEqual(b(ctx()), a(ctx()), `n=${n} seed=${seed}`);
        }
    });
  }
});

test('layout advisor: the rewritten fixtures type-check under strict', () => {
  const files = fixtures('positive').map((n) =>
    join(dir, 'positive', n.replace(/\.(ts|js)$/, '.rewritten.$1')),
  );
  const diags = strictDiagnostics(files);
  assert.deepEqual(diags, []);
});

describe('layout advisor: negative fixtures (look-alikes left alone)', () => {
  const names = fixtures('negative');
  test('there are at least 5', () => {
    assert.ok(names.length >= 5, names.join(', '));
  });
  for (const name of names) {
    test(`${name}: no rewrite, with the reason`, () => {
      const { text, findings } = analyse('negative', name);
      assert.ok(findings.length > 0, 'the look-alike is found and its reason given');
      assert.ok(findings.every((f) => f.verdict.kind === 'left-alone'));
      assert.equal(applyLayout(name, text).rewritten, 0);
    });
  }
});

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
