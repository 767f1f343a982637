// Analyze and scaffold never disagree: over every loop fixture and the fetched real-code corpus
// (corpus/.cache/), every translatable loop outside a translatable loop carries a kernel, the kernel is
// valid IR, `planScaffold` plans it for at least one target (arrays of rows included), and every target that does not plan it
// declines with a stated reason of its own (never "the kernel is not valid IR"); a loop kernel extracted
// from a bigger function gives the same results as its own source text.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzePath } from '../../src/core/analysis/index.js';
import type { FileAnalysis } from '../../src/core/analysis/index.js';
import { validateKernel } from '../../src/core/ir/validate.js';
import { planScaffold } from '../../src/core/scaffold/plan.js';
import { targetNames } from '../../src/core/scaffold/registry.js';
import { differential, prepareReferences } from '../support/loopRef.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixtures = join(root, 'test', 'fixtures', 'loops');
const corpus = join(root, 'corpus', '.cache');

/** Every disagreement found in `files`, one line each; `checked` counts the kernels planned. */
async function disagreements(
  files: readonly FileAnalysis[],
  workspaceRoot: string,
  base: string,
): Promise<{ problems: string[]; checked: number; mismatches: string[] }> {
  const problems: string[] = [];
  const differ: string[] = [];
  let checked = 0;
  for (const f of files) {
    const byId = new Map(f.loops.map((l) => [l.id, l]));
    const outer = f.loops.filter((l) => {
      const parent = l.parentId === undefined ? undefined : byId.get(l.parentId);
      return l.verdict.translatable && !parent?.verdict.translatable;
    });
    const text = outer.length ? readFileSync(resolve(base, f.file), 'utf8') : '';
    // One parse and transpile of the file for all of its loops' references (not one per loop).
    prepareReferences(
      f.file,
      text,
      outer.flatMap((l) => (l.kernel ? [{ loop: l, kernel: l.kernel }] : [])),
    );
    for (const l of outer) {
      if (!l.kernel) {
        problems.push(`${l.id}: translatable but has no kernel`);
        continue;
      }
      const invalid = validateKernel(l.kernel);
      if (invalid.length) {
        problems.push(`${l.id}: invalid IR: ${invalid.slice(0, 2).join('; ')}`);
        continue;
      }
      checked++;
      const declined: string[] = [];
      let planned = 0;
      for (const target of targetNames()) {
        const r = await planScaffold({
          kernel: l.kernel,
          target,
          workspaceRoot,
          outputDir: 'hotloop',
          workspaceTrusted: true,
        });
        if (r.ok) planned++;
        else if (!r.reason.trim() || r.reason.includes('not valid IR'))
          declined.push(`${target}: ${r.reason || '(no reason)'}`);
      }
      if (planned === 0) problems.push(`${l.id}: no target plans ${l.kernel.name}`);
      // A loop extracted from a bigger function runs against its own source text (whole-function
      // kernels of the fixtures are checked by corpus.test.ts).
      const mismatches = differential(f.file, text, l, l.kernel);
      if (mismatches?.length)
        differ.push(`${l.id}: ${l.kernel.name} differs from the JS: ${mismatches.slice(0, 2).join('; ')}`);
      if (declined.length) problems.push(`${l.id}: ${declined.join(' | ')}`);
    }
  }
  return { problems, checked, mismatches: differ };
}

describe('analyze and scaffold agree', () => {
  const corpusMismatches: string[] = [];
  const ws = mkdtempSync(join(tmpdir(), 'hotloop-agree-'));
  test.after(() => {
    rmSync(ws, { recursive: true, force: true });
  });

  const fixtureFiles = (): string[] =>
    readdirSync(fixtures)
      .filter((f) => /^\d\d-.+\.(ts|js)$/.test(f))
      .map((f) => join(fixtures, f));
  // Fixtures over arrays of rows (rank 2); scaffoldRows.test.ts builds their kernels and runs them.
  const rows = /rows|row-sums/;

  test('every translatable loop of the fixtures scaffolds', async () => {
    const analyses = await analyzePath(fixtureFiles(), { rootDir: root });
    const { problems, checked, mismatches } = await disagreements(analyses, ws, root);
    assert.deepEqual(problems, []);
    assert.deepEqual(mismatches, []);
    assert.ok(checked >= 30, `only ${checked} kernels planned`);
  });

  test('fixtures with arrays of rows scaffold for native, wasm and worker', async () => {
    const analyses = await analyzePath(
      fixtureFiles().filter((f) => rows.test(f)),
      { rootDir: root },
    );
    const { problems, checked } = await disagreements(analyses, ws, root);
    assert.deepEqual(problems, []);
    const kernels = analyses.flatMap((a) =>
      a.loops.flatMap((l) => (l.kernel && l.depth === 0 ? [l.kernel] : [])),
    );
    const rank2 = kernels.filter((k) => k.params.some((p) => p.kind === 'array' && p.rank === 2));
    assert.ok(
      rank2.length >= 2 && checked >= rank2.length,
      `${rank2.length} rank-2 kernels, ${checked} planned`,
    );
    for (const k of rank2) {
      for (const target of ['native', 'wasm', 'worker'] as const) {
        const r = await planScaffold({
          kernel: k,
          target,
          workspaceRoot: ws,
          outputDir: 'hotloop',
          workspaceTrusted: true,
        });
        assert.ok(r.ok, `${target} of ${k.name}: ${r.ok ? '' : r.reason}`);
      }
    }
  });

  test('every translatable loop of the fetched corpus scaffolds', async (t) => {
    if (!existsSync(corpus)) {
      t.skip('corpus not fetched');
      return;
    }
    const libs = readdirSync(corpus, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => join(corpus, d.name));
    const problems: string[] = [];
    let checked = 0;
    for (const lib of libs) {
      const analyses = await analyzePath([lib], { rootDir: lib });
      const d = await disagreements(analyses, ws, lib);
      problems.push(...d.problems.map((p) => `${lib}: ${p}`));
      corpusMismatches.push(...d.mismatches.map((p) => `${lib}: ${p}`));
      checked += d.checked;
    }
    t.diagnostic(`${checked} corpus kernels planned`);
    assert.deepEqual(problems, []);
  });

  // The loop's own source text run as the reference: a known gap on real code, where some references
  // cannot run alone (a counter or `this` from the enclosing function) and some kernels differ (field
  // arrays, rows). Scaffold checks and benchmarks compare with the real original before anything is
  // used, so such a kernel is reported WRONG, never applied; this list is the work to do.
  test(
    'corpus kernels extracted from bigger functions match their source text',
    { todo: 'see README, Real-code corpus: known gaps' },
    (t) => {
      if (!existsSync(corpus)) {
        t.skip('corpus not fetched');
        return;
      }
      t.diagnostic(`${corpusMismatches.length} mismatch(es)`);
      assert.deepEqual(corpusMismatches, []);
    },
  );
});
