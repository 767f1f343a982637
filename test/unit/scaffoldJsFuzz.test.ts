// Differential fuzz of the tuned-JS target (js): the generated wrapper (both clones) against the
// scaffold's original (`original.ts`, kernelToTs) on random kernels of every pattern and IR form,
// on every input edge (empty, length 1, odd lengths, NaN, ±Infinity, subarray views with a
// byteOffset, mixed), with the typed arrays as given, again as `number[]`, and all one array (aliased) — bit for bit: the
// same result (Object.is), the same arrays afterwards (written, grown or not), or the same error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_FORMS, fuzzConfig, generateFormKernels, generateKernels } from '../support/kernelGen.js';
import type { JsKernel } from '../support/loadJs.js';
import { loadJsTarget } from '../support/jsTarget.js';
import { cloneArgs, makeInputs, type InputEdge } from '../../src/core/ir/random.js';
import type { Kernel, KernelArg } from '../../src/core/ir/types.js';
import { printKernel } from '../../src/core/ir/print.js';
import { tunedJsSource } from '../../src/core/scaffold/js/emit.js';
import {
  add,
  arrayParam,
  assign,
  bin,
  for_,
  kernel,
  len,
  let_,
  load,
  load2,
  mul,
  num,
  ref,
  rowLen,
  scalarParam,
  store,
  store2,
} from '../../src/core/ir/build.js';

const load2Fns = loadJsTarget;

type Outcome = { readonly threw: string } | { readonly result: unknown; readonly args: readonly unknown[] };

function run(f: JsKernel, args: KernelArg[]): Outcome {
  try {
    const result = f(...args);
    return { result, args };
  } catch (err) {
    return { threw: err instanceof Error ? `${err.constructor.name}: ${err.message}` : String(err) };
  }
}

/** Why two values differ bit for bit (Object.is element by element, lengths and containers), or ''. */
function differ(a: unknown, b: unknown, where: string): string {
  if (Array.isArray(a) || ArrayBuffer.isView(a)) {
    if (Array.isArray(a) !== Array.isArray(b) || ArrayBuffer.isView(a) !== ArrayBuffer.isView(b))
      return `${where}: container differs`;
    const x = a as ArrayLike<unknown>;
    const y = b as ArrayLike<unknown>;
    if (x.length !== y.length) return `${where}: length ${x.length} vs ${y.length}`;
    for (let i = 0; i < x.length; i++) {
      const d = differ(x[i], y[i], `${where}[${i}]`);
      if (d) return d;
    }
    return '';
  }
  return Object.is(a, b) ? '' : `${where}: ${String(a)} vs ${String(b)}`;
}

function compare(want: Outcome, got: Outcome): string {
  if ('threw' in want || 'threw' in got) {
    const w = 'threw' in want ? want.threw : 'no error';
    const g = 'threw' in got ? got.threw : 'no error';
    return w === g ? '' : `error: ${w} vs ${g}`;
  }
  return (
    differ(want.result, got.result, 'result') ||
    want.args.map((a, i) => differ(a, got.args[i], `arg ${i}`)).find(Boolean) ||
    ''
  );
}

/** Typed flat arrays as `number[]` (the same values), rows and scalars as they are. */
function asNumbers(args: readonly KernelArg[]): KernelArg[] {
  return args.map((a) => (ArrayBuffer.isView(a) ? Array.from(a as Float64Array) : a));
}

/** Every flat array argument of the first one's kind replaced by that one (all aliased). */
function aliased(args: readonly KernelArg[]): KernelArg[] {
  const first = args.find((a) => ArrayBuffer.isView(a));
  return args.map((a) => (first && ArrayBuffer.isView(a) && a.constructor === first.constructor ? first : a));
}

function check(k: Kernel, fns: { original: JsKernel; tuned: JsKernel }, inputs: KernelArg[]): string[] {
  const out: string[] = [];
  for (const [what, make] of [
    ['as given', (a: readonly KernelArg[]) => cloneArgs(a)],
    ['as number[]', (a: readonly KernelArg[]) => asNumbers(cloneArgs(a))],
    ['aliased', (a: readonly KernelArg[]) => aliased(cloneArgs(a))],
  ] as const) {
    const d = compare(run(fns.original, make(inputs)), run(fns.tuned, make(inputs)));
    if (d) out.push(`${k.name} (${what}): ${d}`);
  }
  return out;
}

const EDGES: readonly InputEdge[] = ['none', 'empty', 'one', 'nan', 'inf', 'subarray', 'mixed'];

test('tuned JS is bit-identical to the original on random kernels, every edge, typed and number[]', () => {
  const { seed, count } = fuzzConfig(300);
  const kernels = [
    ...generateKernels({ seed, count }),
    ...generateFormKernels({ seed, count: Math.ceil(count / 3), forms: ALL_FORMS }),
  ];
  const failures: string[] = [];
  let cases = 0;
  for (const [i, k] of kernels.entries()) {
    const fns = load2Fns(k);
    for (const [j, edge] of EDGES.entries()) {
      const n = 17 + ((i + j) % 5) * 24; // odd and even lengths
      let inputs: KernelArg[];
      try {
        inputs = makeInputs(k, { n, seed: seed + i * 31 + j, edge });
      } catch {
        continue; // a kernel that cannot be sized at this n (the other edges still run)
      }
      const f = check(k, fns, inputs);
      cases++;
      if (f.length) failures.push(`${f.join('\n')} (seed ${seed}, n=${n}, edge ${edge})\n${printKernel(k)}`);
    }
  }
  assert.ok(cases >= kernels.length * 5, `only ${cases} cases ran`);
  assert.equal(failures.length, 0, `${failures.length} mismatches:\n${failures.slice(0, 4).join('\n\n')}`);
});

const [i, j] = [ref('i'), ref('j')];

test('a number[] that grows inside the loop: lengths stay live in the any-array clone', () => {
  // for (i = 0; i < out.length && i < limit; i++) out[i + 1] = out[i] + 1 — a number[] grows as it goes.
  const k = kernel({
    name: 'grow',
    pattern: 'scan',
    params: [arrayParam('out', 'f64', 'readwrite', 'array'), scalarParam('limit', 'f64')],
    body: [
      for_('i', num(0), len('out'), [
        { kind: 'if', cond: bin('>=', i, ref('limit')), then: [{ kind: 'break' }], else: [] },
        store('out', add(i, num(1)), add(load('out', i), num(1))),
      ]),
    ],
    result: { kind: 'void' },
  });
  const fns = load2Fns(k);
  const plain = [1, 2, 3];
  fns.tuned(plain, 10);
  assert.deepEqual(plain, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 'grew like the original');
  const typed = new Float64Array([1, 2, 3]);
  fns.tuned(typed, 10);
  assert.deepEqual(Array.from(typed), [1, 2, 3]);
  assert.deepEqual(check(k, fns, [[1, 2, 3], 10]), []);
  assert.deepEqual(check(k, fns, [new Float64Array([1, 2, 3]), 10]), []);
});

test('aliased arguments: a read array that is also the written one is re-read after each store', () => {
  // y[i] = x[0] * 2 + i, called with x === y: the original reads the new x[0] after y[0] is written.
  const k = kernel({
    name: 'alias',
    pattern: 'map',
    params: [arrayParam('x', 'f64', 'read'), arrayParam('y', 'f64', 'write')],
    body: [for_('i', num(0), len('y'), [store('y', i, add(mul(load('x', num(0)), num(2)), i))])],
    result: { kind: 'void' },
  });
  const fns = load2Fns(k);
  const a = new Float64Array([1, 1, 1, 1]);
  fns.tuned(a, a);
  assert.deepEqual(Array.from(a), [2, 5, 6, 7], 'x[0] re-read after y[0] was written');
  const shared = new Float64Array(8);
  assert.deepEqual(check(k, fns, [shared.subarray(2, 6), shared.subarray(0, 4)]), []);
});

test('a missing row throws the same TypeError, after the same writes; rows are read once per inner loop', () => {
  const k = kernel({
    name: 'rowSums',
    pattern: 'nested',
    orderSensitive: true,
    params: [
      { ...arrayParam('m', 'f64', 'readwrite', 'array'), rank: 2 },
      arrayParam('out', 'f64', 'write'),
      scalarParam('n', 'i32'),
    ],
    body: [
      for_('i', num(0), ref('n'), [
        let_('s', num(0)),
        for_('j', num(0), rowLen('m', i), [assign('s', add(ref('s'), load2('m', i, j)))]),
        store('out', i, ref('s')),
        store2('m', i, num(0), ref('s')),
      ]),
    ],
    result: { kind: 'void' },
  });
  const src = tunedJsSource(k, k.name).source;
  assert.match(
    src,
    /const m_row = m\[i\];\n\s+for \(let j = 0; j < m_row\.length; j\+\+\) \{\n\s+s = s \+ m_row\[j\];/,
  );
  const fns = load2Fns(k);
  // Rows travel as KernelArg the way makeInputs makes them (an array of number[] rows).
  const rows = (): KernelArg => [[1, 2], [3], [4, 5, 6]] as unknown as KernelArg;
  // n = 5 > 3 rows: the original throws at row 3, after writing out[0..2] and m[0..2][0].
  const want = run(fns.original, [rows(), new Float64Array(5), 5]);
  const got = run(fns.tuned, [rows(), new Float64Array(5), 5]);
  assert.ok('threw' in want && /TypeError: Cannot read properties of undefined/.test(want.threw));
  assert.equal(compare(want, got), '');
  const [mA, oA] = [rows(), new Float64Array(5)];
  const [mB, oB] = [rows(), new Float64Array(5)];
  assert.throws(() => fns.original(mA, oA, 5));
  assert.throws(() => fns.tuned(mB, oB, 5));
  assert.equal(differ(mA, mB, 'm') || differ(oA, oB, 'out'), '');
  assert.deepEqual(check(k, fns, [rows(), new Float64Array(3), 3]), []);
});

test('loop invariants move out of their loop; lengths are read once (typed clone) but not where a number[] may grow', () => {
  const k = kernel({
    name: 'scaleRows',
    pattern: 'gemv',
    params: [
      arrayParam('A', 'f64', 'read'),
      arrayParam('y', 'f64', 'write'),
      scalarParam('n', 'i32'),
      scalarParam('a', 'f64'),
    ],
    body: [
      for_('i', num(0), len('y'), [
        let_('s', num(0)),
        for_('j', num(0), ref('n'), [
          assign('s', add(ref('s'), mul(load('A', add(mul(i, ref('n')), j)), mul(ref('a'), ref('a'))))),
        ]),
        store('y', i, ref('s')),
      ]),
    ],
    result: { kind: 'void' },
  });
  const src = tunedJsSource(k, k.name).source;
  const typed = src.slice(src.indexOf('function scaleRows_typed'), src.indexOf('function scaleRows_any'));
  const any = src.slice(src.indexOf('function scaleRows_any'));
  assert.match(typed, /const y_len = y\.length;[\s\S]*i < y_len;/);
  assert.match(any, /i < y\.length;/, 'y is written: its length stays live when it may be a number[]');
  for (const clone of [typed, any]) {
    // a·a moves out of both loops, i·n out of the inner one.
    assert.match(clone, /const inv = a \* a;\n\s+for \(let i = 0;/);
    assert.match(clone, /const inv_2 = i \* n;\n\s+for \(let j = 0; j < n; j\+\+\)/);
    assert.match(clone, /s = s \+ A\[inv_2 \+ j\] \* inv;/);
  }
  assert.match(src, /return ArrayBuffer\.isView\(A\) && ArrayBuffer\.isView\(y\) \? scaleRows_typed\(/);
});
