// The columnar advisor on its fixtures: goldens of the findings and of the rewritten files; the
// rewritten positives return the same values as the originals (records: none, one, odd counts,
// prices NaN/±Infinity/-0/huge, quantities past int32 where the parser does not make an int32), and
// the look-alikes get no rewrite.
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
import {
  adviseColumnar,
  applyColumnar,
  type ColumnarFinding,
} from '../../src/core/advisors/columnar/index.js';
import type { Ctx } from '../fixtures/advisors/columnar/ctx.js';

const root = join(import.meta.dirname, '..', '..');
const dir = join(root, 'test', 'fixtures', 'advisors', 'columnar');
const fixtures = (kind: FixtureKind): string[] => fixtureNames(dir, kind);
const rewrittenName = (name: string): string => name.replace(/\.(ts|js)$/, '.rewritten.$1');

const summary = (f: ColumnarFinding): unknown => {
  const v = f.verdict;
  return {
    source: f.source,
    records: f.records,
    line: f.line,
    functionName: f.functionName,
    verdict:
      v.kind === 'rewrite'
        ? { kind: v.kind, summary: v.summary, assumes: v.assumes, columns: v.columns, pipelines: v.pipelines }
        : v,
  };
};

const analyse = fixtureAnalyser(dir, adviseColumnar, summary);

type Run = (ctx: Ctx) => unknown;
const load = async (path: string): Promise<Run> =>
  ((await import(pathToFileURL(path).href)) as { run: Run }).run;

/** A seeded generator (mulberry32), so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SPECIAL_PRICES = ['NaN', 'Infinity', '-Infinity', '-0', '1e308', '', 'abc', '0.1'];
const SIDES = ['buy', 'sell'];
const CITIES = ['Oslo', 'Lima', 'Pune'];

function ctxOf(count: number, seed: number, special: boolean): Ctx {
  const r = rng(seed);
  const lines: string[] = [];
  const records: unknown[] = [];
  for (let k = 0; k < count; k++) {
    const price = Math.round(r() * 20000) / 100 - 10;
    const qty = r() < 0.05 ? 3_000_000_000 + k : Math.floor(r() * 100);
    const side = SIDES[k % 2]!;
    const city = CITIES[k % 3]!;
    const p = special && k % 3 === 0 ? SPECIAL_PRICES[k % SPECIAL_PRICES.length]! : String(price);
    lines.push(`t${k},${p},${qty},${side},${city}`);
    records.push({ id: `t${k}`, price: k % 7 === 0 ? -0 : price, qty, side, city });
  }
  return { lines, json: JSON.stringify(records), threshold: 40 + (seed % 50) };
}

const CTXS: Ctx[] = [
  ctxOf(0, 1, false),
  ctxOf(1, 2, false),
  ctxOf(1, 3, true),
  ctxOf(7, 4, true),
  ctxOf(33, 5, true),
  ctxOf(1001, 6, false),
  ctxOf(1001, 7, true),
];

describe('columnar advisor: positive fixtures', () => {
  const names = fixtures('positive');
  test('there are at least 5', () => {
    assert.ok(names.length >= 5, names.join(', '));
  });
  for (const name of names) {
    test(`${name}: rewritten as its golden, same values as the original`, async () => {
      const { text, findings } = analyse('positive', name);
      assert.equal(findings.length, 1, JSON.stringify(findings.map(summary)));
      assert.equal(findings[0]!.verdict.kind, 'rewrite', JSON.stringify(findings[0]!.verdict));
      const out = applyColumnar(join(dir, 'positive', name), text);
      assert.equal(out.rewritten, 1);
      const rewritten = join(dir, 'positive', rewrittenName(name));
      golden(rewritten, out.text);
      assert.ok(
        adviseColumnar(rewritten, out.text).every((f) => f.verdict.kind === 'left-alone'),
        'nothing left to rewrite',
      );
      const [a, b] = [await load(join(dir, 'positive', name)), await load(rewritten)];
      for (const ctx of CTXS) assert.deepEqual(b(ctx), a(ctx), `${ctx.lines.length} records`);
    });
  }
});

test('columnar advisor: the rewritten fixtures type-check under strict', () => {
  const files = fixtures('positive')
    .filter((n) => n.endsWith('.ts'))
    .map((n) => join(dir, 'positive', rewrittenName(n)));
  const diags = strictDiagnostics(files);
  assert.deepEqual(diags, []);
});

describe('columnar advisor: negative fixtures (look-alikes left alone)', () => {
  const names = fixtures('negative');
  test('there are at least 5', () => {
    assert.ok(names.length >= 5, names.join(', '));
  });
  for (const name of names) {
    test(`${name}: found, left alone with a reason`, () => {
      const { text, findings } = analyse('negative', name);
      assert.ok(findings.length >= 1, 'the look-alike is recognised (not silently skipped)');
      assert.ok(findings.every((f) => f.verdict.kind === 'left-alone'));
      assert.equal(applyColumnar(name, text).rewritten, 0);
    });
  }
});
