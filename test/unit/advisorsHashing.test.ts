// The hashing advisor on its fixtures: goldens of the findings and of the rewritten files; the
// rewritten positives return what the originals return (sizes 0, 1, odd, larger; values with NaN,
// ±Infinity, -0 and integers), and the look-alikes get no rewrite, each with its reason.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import ts from 'typescript';
import { adviseHashing, applyHashing, type HashingFinding } from '../../src/core/advisors/hashing/index.js';
import type { Ctx } from '../fixtures/advisors/hashing/ctx.js';

const root = join(import.meta.dirname, '..', '..');
const dir = join(root, 'test', 'fixtures', 'advisors', 'hashing');
const fixtures = (kind: 'positive' | 'negative'): string[] =>
  readdirSync(join(dir, kind)).filter((f) => /^[a-zA-Z]+\.(ts|js)$/.test(f));

function golden(path: string, actual: string): void {
  const expected = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (process.env.UPDATE_GOLDENS === '1') writeFileSync(path, actual);
  else if (expected === actual) rmSync(`${path}.actual`, { force: true });
  else {
    writeFileSync(`${path}.actual`, actual);
    assert.fail(
      `${relative(root, path)} ${expected === undefined ? 'does not exist' : 'differs'}; wrote .actual`,
    );
  }
}

const summary = (f: HashingFinding): unknown => {
  const v = f.verdict;
  return {
    kind: f.kind,
    line: f.line,
    functionName: f.functionName,
    object: f.object,
    verdict: v.kind === 'rewrite' ? { kind: v.kind, summary: v.summary, assumes: v.assumes } : v,
  };
};

function analyse(kind: 'positive' | 'negative', name: string): { text: string; findings: HashingFinding[] } {
  const path = join(dir, kind, name);
  const text = readFileSync(path, 'utf8');
  const findings = adviseHashing(path, text);
  golden(path.replace(/\.(ts|js)$/, '.golden.json'), `${JSON.stringify(findings.map(summary), null, 2)}\n`);
  return { text, findings };
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

describe('hashing advisor: positive fixtures', () => {
  const names = fixtures('positive');
  test('there are at least 5', () => {
    assert.ok(names.length >= 5, names.join(', '));
  });
  for (const name of names) {
    test(`${name}: rewritten as its golden, same results as the original`, async () => {
      const { text, findings } = analyse('positive', name);
      assert.equal(findings.length, 1);
      assert.equal(findings[0]!.verdict.kind, 'rewrite', JSON.stringify(findings[0]!.verdict));
      const out = applyHashing(join(dir, 'positive', name), text);
      assert.equal(out.rewritten, 1);
      const rewritten = join(dir, 'positive', name.replace(/\.(ts|js)$/, '.rewritten.$1'));
      golden(rewritten, out.text);
      assert.deepEqual(
        adviseHashing(rewritten, out.text).filter((f) => f.verdict.kind === 'rewrite'),
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

test('hashing advisor: the rewritten fixtures type-check under strict', () => {
  const files = fixtures('positive').map((n) =>
    join(dir, 'positive', n.replace(/\.(ts|js)$/, '.rewritten.$1')),
  );
  const program = ts.createProgram(files, {
    strict: true,
    noUncheckedIndexedAccess: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2023.d.ts'],
    types: ['node'],
  });
  const diags = ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  assert.deepEqual(diags, []);
});

describe('hashing advisor: negative fixtures (look-alikes left alone)', () => {
  const names = fixtures('negative');
  test('there are at least 5', () => {
    assert.ok(names.length >= 5, names.join(', '));
  });
  for (const name of names) {
    test(`${name}: no rewrite, with the reason`, () => {
      const { text, findings } = analyse('negative', name);
      assert.ok(findings.length > 0, 'the look-alike is found and its reason given');
      assert.ok(findings.every((f) => f.verdict.kind === 'left-alone'));
      assert.equal(applyHashing(name, text).rewritten, 0);
    });
  }
});
