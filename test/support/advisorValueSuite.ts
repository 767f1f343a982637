// The fixture suite of the advisors whose fixtures export `run(ctx)` over a seeded value source (layout,
// hashing): each positive is rewritten as its golden, leaves nothing to rewrite, type-checks under
// strict and returns what the original returns (sizes 0, 1, odd, larger; values with NaN, ±Infinity,
// -0 and integers); each look-alike is found, left alone with its reason, and not rewritten.
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
} from './advisorFixtures.js';

/** What a fixture's `run` gets: a value source and a size. */
export interface Ctx {
  readonly value: () => number;
  readonly n: number;
}

export interface ValueSuite<F extends { readonly verdict: { readonly kind: string } }> {
  /** `layout`, `hashing`: names the tests. */
  readonly label: string;
  readonly dir: string;
  readonly advise: (fileName: string, text: string) => F[];
  readonly apply: (fileName: string, text: string) => { text: string; rewritten: number };
  /** The finding as its golden shows it (without the edit texts). */
  readonly summary: (f: F) => unknown;
}

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

/** Defines the positive, type-check and negative tests of one advisor's fixtures. */
export function valueFixtureSuite<F extends { readonly verdict: { readonly kind: string } }>(
  s: ValueSuite<F>,
): void {
  const { label, dir, advise, apply } = s;
  const fixtures = (kind: FixtureKind): string[] => fixtureNames(dir, kind);
  const analyse = fixtureAnalyser(dir, advise, s.summary);
  describe(`${label} advisor: positive fixtures`, () => {
    const names = fixtures('positive');
    test('there are at least 5', () => {
      assert.ok(names.length >= 5, names.join(', '));
    });
    for (const name of names) {
      test(`${name}: rewritten as its golden, same results as the original`, async () => {
        const { text, findings } = analyse('positive', name);
        assert.equal(findings.length, 1);
        assert.equal(findings[0]!.verdict.kind, 'rewrite', JSON.stringify(findings[0]!.verdict));
        const out = apply(join(dir, 'positive', name), text);
        assert.equal(out.rewritten, 1);
        const rewritten = join(dir, 'positive', name.replace(/\.(ts|js)$/, '.rewritten.$1'));
        golden(rewritten, out.text);
        assert.deepEqual(
          advise(rewritten, out.text).filter((f) => f.verdict.kind === 'rewrite'),
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

  test(`${label} advisor: the rewritten fixtures type-check under strict`, () => {
    const files = fixtures('positive').map((n) =>
      join(dir, 'positive', n.replace(/\.(ts|js)$/, '.rewritten.$1')),
    );
    const diags = strictDiagnostics(files);
    assert.deepEqual(diags, []);
  });

  describe(`${label} advisor: negative fixtures (look-alikes left alone)`, () => {
    const names = fixtures('negative');
    test('there are at least 5', () => {
      assert.ok(names.length >= 5, names.join(', '));
    });
    for (const name of names) {
      test(`${name}: no rewrite, with the reason`, () => {
        const { text, findings } = analyse('negative', name);
        assert.ok(findings.length > 0, 'the look-alike is found and its reason given');
        assert.ok(findings.every((f) => f.verdict.kind === 'left-alone'));
        assert.equal(apply(name, text).rewritten, 0);
      });
    }
  });
}
