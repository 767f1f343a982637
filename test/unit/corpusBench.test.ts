// bench:corpus's matching and figures (bench/corpusMetrics.ts): labels pair with the analysis'
// loops by file + 1-based line; recall counts loops covered by a translatable ancestor; traps count
// only without a warning; agreement is over every translatable outermost loop; misses group by code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeSource } from '../../src/core/analysis/index.js';
import type { FileAnalysis, LoopFacts, Verdict } from '../../src/core/analysis/types.js';
import type { LoopLabel, PlanOutcome } from '../../bench/corpusMetrics.js';
import {
  corpusFigures,
  groupFalseNegatives,
  libFigures,
  matchLabels,
  outermostTranslatable,
  parseLoopsFile,
  reasonShape,
} from '../../bench/corpusMetrics.js';
const tiny = resolve(import.meta.dirname, '..', 'fixtures', 'corpus', 'tiny');

test('the labels of the tiny corpus pair with the loops the real analysis finds (0-based ranges, 1-based labels)', () => {
  const labels = parseLoopsFile(
    JSON.parse(readFileSync(join(tiny, 'LOOPS.json'), 'utf8')),
    'tiny/LOOPS.json',
  ).loops;
  const file = join(tiny, 'package', 'kern.js');
  const analysis = analyzeSource(file, readFileSync(file, 'utf8'), { rootDir: join(tiny, 'package') });
  const { matched, unlabelled } = matchLabels(labels, [analysis]);
  assert.deepEqual(
    unlabelled.map((l) => `${l.file}:${l.range.start.line + 1}`),
    [],
  );
  assert.deepEqual(
    matched.filter((m) => !m.loop).map((m) => m.label.line),
    [],
  );
  assert.deepEqual(
    matched.map((m) => m.loop?.functionName),
    ['sum', 'grid', 'grid', 'names'],
  );
  const inner = matched[2]!.loop!;
  assert.equal(inner.depth, 1, 'the inner label pairs with the nested loop');
});

const range = (line: number) => ({
  start: { line: line - 1, character: 2 },
  end: { line: line - 1, character: 40 },
});
const ok: Verdict = { translatable: true, pattern: 'reduce', orderSensitive: false };
const no = (code: 'calls-function' | 'early-exit', reason: string): Verdict => ({
  translatable: false,
  code,
  reason,
});

function loop(
  id: string,
  line: number,
  verdict: Verdict,
  extra: Partial<LoopFacts> & Record<string, unknown> = {},
): LoopFacts {
  return {
    id,
    file: 'a.js',
    kind: 'for',
    range: range(line),
    line,
    functionName: id.split('#')[1]!.split('/')[0]!,
    depth: extra.parentId ? 1 : 0,
    arrays: [],
    verdict,
    ...extra,
  };
}

function label(line: number, kind: LoopLabel['label']): LoopLabel {
  return { file: 'a.js', line, function: 'f', label: kind, why: 'test' };
}

const files: FileAnalysis[] = [
  {
    schema: 1,
    file: 'a.js',
    diagnostics: [],
    loops: [
      loop('a.js#sum/0', 3, ok),
      loop('a.js#grid/0', 8, ok),
      loop('a.js#grid/1', 9, no('calls-function', 'calls helper()'), { parentId: 'a.js#grid/0' }),
      loop('a.js#find/0', 14, no('early-exit', 'break inside')),
      loop('a.js#kahan/0', 20, ok),
      loop('a.js#kahan2/0', 26, {
        ...ok,
        warnings: ['compensated sum: reassociation changes the result'],
      } as Verdict),
      loop('a.js#extra/0', 30, no('calls-function', 'calls parse()')),
    ],
  },
];
const labels = [
  label(3, 'kernel'),
  label(8, 'kernel'),
  label(9, 'kernel'),
  label(14, 'kernel'),
  label(20, 'trap'),
  label(26, 'trap'),
  label(99, 'kernel'),
];
const plans = new Map<string, PlanOutcome>([
  ['a.js#sum/0', { ok: true, target: 'wasm' }],
  ['a.js#grid/0', { ok: false, reason: "wasm: the kernel is not valid IR: reduction 's' must be a local" }],
  ['a.js#kahan/0', { ok: true, target: 'wasm' }],
  ['a.js#kahan2/0', { ok: true, target: 'worker' }],
]);

test('libFigures: recall through translatable ancestors, traps without warnings, agreement over outermost translatable loops', () => {
  const f = libFigures('t', labels, files, plans, 0.5);
  assert.equal(f.loops, 7);
  assert.equal(f.kernel_labels, 5);
  assert.equal(f.recalled, 3, 'sum, grid and the inner loop grid covers');
  assert.equal(f.recall, 3 / 5);
  assert.deepEqual(
    f.false_negatives.map((x) => [x.line, x.code]),
    [
      [14, 'early-exit'],
      [99, 'not-found'],
    ],
  );
  assert.deepEqual(f.false_negative_codes, { 'early-exit': 1, 'not-found': 1 });
  assert.equal(f.traps_translatable, 1, 'the trap with a warning does not count');
  assert.deepEqual(f.traps_translatable_list, ['a.js:20 f']);
  assert.deepEqual(
    outermostTranslatable(files).map((l) => l.id),
    ['a.js#sum/0', 'a.js#grid/0', 'a.js#kahan/0', 'a.js#kahan2/0'],
  );
  assert.equal(f.translatable, 4);
  assert.equal(f.planned_ok, 3);
  assert.equal(f.agreement, 3 / 4);
  assert.deepEqual(f.unlabelled, ['a.js:30 extra']);
  assert.deepEqual(f.unmatched_labels, ['a.js:99 (kernel)']);
});

test('corpusFigures sums counts before dividing; an empty corpus is vacuously perfect', () => {
  const a = libFigures('a', labels, files, plans, 0.5);
  const b = libFigures('b', [label(3, 'kernel')], files, new Map(), 2);
  const all = corpusFigures([a, b], ['b x.js: boom']);
  assert.equal(all.kernel_labels, 6);
  assert.equal(all.recall, 4 / 6);
  assert.equal(all.agreement, 3 / 8, 'b planned nothing: its 4 translatable loops count as failures');
  assert.equal(all.max_lib_seconds, 2);
  assert.deepEqual(all.crashed, ['b x.js: boom']);
  const none = corpusFigures([libFigures('e', [], [], new Map(), 0)], []);
  assert.equal(none.recall, 1);
  assert.equal(none.agreement, 1);
});

test('false negatives group by code, then by the reason with its names taken out', () => {
  const fn = (line: number, code: string, reason: string) => ({
    file: 'a.js',
    line,
    function: 'f',
    code,
    reason,
  });
  const lib = {
    ...libFigures('t', [], [], new Map(), 0),
    false_negatives: [
      fn(1, 'object-property', 'reads property fft.re'),
      fn(2, 'object-property', 'reads property fft.im'),
      fn(3, 'object-property', 'reads property this._ids'),
      fn(4, 'early-exit', 'break inside'),
    ],
  };
  const groups = groupFalseNegatives([lib]);
  assert.deepEqual(
    groups.map((g) => [g.code, g.count]),
    [
      ['object-property', 3],
      ['early-exit', 1],
    ],
  );
  assert.deepEqual(
    groups[0]!.reasons.map((r) => [r.reason, r.count]),
    [
      ['reads property <obj>.<field>', 2],
      ['reads property this.<field>', 1],
    ],
  );
  assert.equal(
    reasonShape('type of size is unknown (add a type or a JSDoc @type)'),
    'type of <name> is unknown (add a type or a JSDoc @type)',
  );
  assert.equal(reasonShape('calls utils.tauRand()'), 'calls <obj>.tauRand()');
  assert.equal(reasonShape('calls distanceFn()'), 'calls <fn>()');
  assert.equal(reasonShape('loop condition j!==-1 with step --j'), 'loop condition <cond> with step --i');
  assert.equal(reasonShape('data has no type and reads data.map'), '<name> has no type and reads <name>.map');
});

test('parseLoopsFile rejects a label outside the four kinds and a 0-based line', () => {
  assert.throws(
    () =>
      parseLoopsFile(
        { lib: 'x', loops: [{ file: 'a.js', line: 3, function: 'f', label: 'maybe', why: 'w' }] },
        'x',
      ),
    /label/,
  );
  assert.throws(
    () =>
      parseLoopsFile(
        { lib: 'x', loops: [{ file: 'a.js', line: 0, function: 'f', label: 'kernel', why: 'w' }] },
        'x',
      ),
    /line/,
  );
  assert.throws(() => parseLoopsFile([], 'x'), /expected/);
});

test('every corpus/<lib> has a pinned lib.json and a LOOPS.json whose labels are well formed', () => {
  const corpus = resolve(import.meta.dirname, '..', '..', 'corpus');
  const libs = readdirSync(corpus, { withFileTypes: true }).filter(
    (e) => e.isDirectory() && !e.name.startsWith('.'),
  );
  assert.ok(libs.length >= 7, `expected the corpus libs, found ${libs.length}`);
  for (const { name } of libs) {
    const lib = JSON.parse(readFileSync(join(corpus, name, 'lib.json'), 'utf8')) as Record<string, unknown>;
    assert.match(String(lib.version), /^\d+\.\d+\.\d+$/, `${name}: exact version`);
    assert.match(String(lib.integrity), /^sha512-[A-Za-z0-9+/]+=*$/, `${name}: sha512 integrity`);
    assert.ok(Array.isArray(lib.analyze) && lib.analyze.length > 0, `${name}: analyze paths`);
    if (!existsSync(join(corpus, name, 'LOOPS.json'))) continue; // a lib being labelled
    const loops = parseLoopsFile(
      JSON.parse(readFileSync(join(corpus, name, 'LOOPS.json'), 'utf8')),
      `${name}/LOOPS.json`,
    );
    assert.ok(loops.loops.length > 0, `${name}: labels`);
  }
});
