// Loop versioning of the native target, at the source level (no compiler): which nests get a
// guarded fast copy, which loops are unrolled-and-jammed, and what the C++ of the examples' sum,
// gemm and gemv looks like. That the fast copy runs, and gives the JS results exactly (in range,
// out of range, aliased and overlapping arrays), is checked on the built addon by
// scaffoldNative.test.ts (nativeVersioningKernels.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeSource } from '../../src/core/analysis/index.js';
import type { Kernel, Stmt } from '../../src/core/ir/types.js';
import {
  add,
  arrayParam,
  assign,
  for_,
  kernel,
  len,
  let_,
  load,
  mul,
  num,
  ref,
  scalarParam,
  store,
} from '../../src/core/ir/build.js';
import { bindingGyp } from '../../src/core/scaffold/native/emit.js';
import { planJam, planNest } from '../../src/core/scaffold/native/versioning.js';
import type { ForStmt } from '../../src/core/scaffold/native/versioning.js';
import { kernelCc, REPO } from './nativeBuild.js';

function example(name: string): Kernel {
  for (const file of ['sensorStats.ts', 'matmul.ts']) {
    const path = join(REPO, 'examples/src', file);
    const k = analyzeSource(path, readFileSync(path, 'utf8'), { rootDir: join(REPO, 'examples') }).loops.find(
      (l) => l.kernel?.name === name,
    )?.kernel;
    if (k) return k;
  }
  throw new Error(`no example kernel ${name}`);
}

const i = ref('i');
const j = ref('j');
/** Scope at a kernel's top level: scalar params are doubles. */
const top =
  (names: string[]) =>
  (n: string): 'f64' | undefined =>
    names.includes(n) ? 'f64' : undefined;
const loop = (st: Stmt): ForStmt => {
  if (st.kind !== 'for') throw new Error('expected a for loop');
  return st;
};

test('sum: a guarded fast loop over raw elements, and the bounds-checked loop as the fallback', () => {
  const cc = kernelCc(example('sum'));
  assert.match(cc, /if \(!std::isnan\(hl_iv0_i\.lo\) &&\n\s+hotloop::ivIn\(hl_iv0_i, xs\.length\)\) \{/);
  assert.match(
    cc,
    /for \(int64_t i = INT64_C\(0\); i < static_cast<int64_t>\(hl_l_xs\); i \+= 1\) \{\n\s+s = \(s \+ hl_p_xs\[i\]\);/,
  );
  assert.match(
    cc,
    /\} else \{\n\s+HOTLOOP_PATH\(0\);\n\s+for \(int64_t i = INT64_C\(0\); static_cast<double>\(i\) < hotloop::len\(xs\); i \+= 1\) \{\n\s+s = \(s \+ hotloop::load\(xs, i\)\);/,
  );
  // The reduction stays one accumulator in source order (no reassociation).
  assert.doesNotMatch(cc, /hl_a_s/);
});

test('gemm and gemv: the guard bounds every index; the dot-product loop is unrolled-and-jammed when the output is disjoint', () => {
  const gemm = kernelCc(example('gemm'));
  assert.match(
    gemm,
    /hotloop::ivIn\(hotloop::ivAdd\(hotloop::ivMul\(hl_iv0_i, hotloop::ivPoint\(k\)\), hl_iv0_p\), a\.length\)/,
  );
  assert.match(
    gemm,
    /hotloop::ivIn\(hotloop::ivAdd\(hotloop::ivMul\(hl_iv0_p, hotloop::ivPoint\(m\)\), hl_iv0_j\), b\.length\)/,
  );
  assert.match(gemm, /const int64_t hl_n_m = static_cast<int64_t>\(m\);/);
  assert.match(
    gemm,
    /if \(hotloop::disjoint\(c, a\) && hotloop::disjoint\(c, b\)\) \{\n\s+HOTLOOP_PATH\(2\);/,
  );
  assert.match(gemm, /double hl_a_acc\[4\];/);
  assert.match(
    gemm,
    /acc = \(acc \+ \(hl_p_a\[\(\(i \* hl_n_k\) \+ p\)\] \* hl_p_b\[\(\(p \* hl_n_m\) \+ j\)\]\)\);/,
  );
  assert.match(gemm, /hotloop::store\(c, /, 'the checked copy is still there');
  const gemv = kernelCc(example('gemv'));
  assert.match(gemv, /if \(hotloop::disjoint\(y, a\) && hotloop::disjoint\(y, x\)\) \{/);
  assert.match(gemv, /for \(; hl_j\d+ \+ 3 < hl_n_rows; hl_j\d+ \+= 4\) \{/);
});

test('the generated build keeps f64 semantics: no -ffast-math unless asked, no strict-aliasing assumptions', () => {
  const gyp = JSON.parse(bindingGyp()) as { targets: { cflags_cc: string[] }[] };
  const flags = gyp.targets[0]!.cflags_cc;
  assert.ok(
    flags.includes('-ffp-contract=off') &&
      flags.includes('-fno-strict-aliasing') &&
      flags.includes('-fno-math-errno') &&
      !flags.includes('-ffast-math'),
    flags.join(' '),
  );
});

test('planNest: affine, triangular, stencil and gather nests are versioned; fractional or reassigned indices are not', () => {
  const scope = top(['n', 'm', 'w']);
  // Triangular: j < i.
  assert.ok(
    planNest(
      loop(
        for_('i', num(0), ref('n'), [for_('j', num(0), i, [store('out', add(mul(i, ref('n')), j), num(1))])]),
      ),
      scope,
    ),
  );
  // A stencil through a let: idx = i * w + 1, used as an index.
  const st = planNest(
    loop(
      for_('i', num(1), ref('n'), [
        let_('idx', add(mul(i, ref('w')), num(1))),
        store('out', ref('idx'), load('a', add(ref('idx'), num(-1)))),
      ]),
    ),
    scope,
  );
  assert.ok(st);
  assert.equal(st.names.get('idx')?.kind, 'let');
  assert.deepEqual([...st.invariants].sort(), ['n', 'w']);
  // Gather: a[b[i]] — versioned; b[i] and out[i] proven by the guard, a[…] left checked.
  const gather = load('b', i);
  const g = planNest(loop(for_('i', num(0), len('b'), [store('out', i, load('a', gather))])), scope);
  assert.ok(g);
  assert.deepEqual(g.accesses.map((a) => a.array).sort(), ['b', 'out']);
  assert.deepEqual([...g.gathers], [gather]);
  // An index the guard cannot bound and that reads no array (i / 2, i + 0.5: JS reads undefined at a
  // fraction): versioned, that access left checked in the fast copy as in the checked one.
  const half = { kind: 'bin', op: '/', left: i, right: num(2) } as const;
  const h = planNest(loop(for_('i', num(0), ref('n'), [store('out', i, load('a', half))])), scope);
  assert.ok(h);
  assert.deepEqual([...h.gathers], [half]);
  const frac = add(i, num(0.5));
  const f = planNest(loop(for_('i', num(0), ref('n'), [store('out', i, load('a', frac))])), scope);
  assert.deepEqual(f && [...f.gathers], [frac]);
  // An index that the loop reassigns is not fixed during the nest: that store stays checked.
  const m = ref('m');
  const r = planNest(
    loop(for_('i', num(0), ref('n'), [assign('m', add(ref('m'), num(1))), store('out', m, num(0))])),
    scope,
  );
  assert.deepEqual(r && [...r.gathers], [m]);
  assert.deepEqual(r && r.accesses, []);
  // A loop starting at a double (not an int64 loop in the checked copy).
  assert.equal(planNest(loop(for_('i', ref('m'), ref('n'), [store('out', i, num(0))])), scope), undefined);
});

test('planJam: only when nothing read before the stores can be written by them, and no scalar crosses iterations', () => {
  const dot = (target: string, readsTarget: boolean): ForStmt =>
    loop(
      for_('j', num(0), ref('m'), [
        let_('acc', num(0)),
        for_('p', num(0), ref('n'), [
          assign('acc', add(ref('acc'), readsTarget ? load(target, ref('p')) : load('a', ref('p')))),
        ]),
        store(target, j, ref('acc')),
      ]),
    );
  const ok = planJam(dot('c', false));
  assert.deepEqual(ok?.disjoint, [['c', 'a']]);
  assert.equal(planJam(dot('c', true)), undefined, 'the inner loop reads the stored array');
  // The stores also bump an outer counter: it would flow between the jammed iterations.
  const outer = loop(
    for_('j', num(0), ref('m'), [
      let_('acc', num(0)),
      for_('p', num(0), ref('n'), [assign('acc', add(ref('acc'), load('a', ref('p'))))]),
      assign('total', add(ref('total'), ref('acc'))),
      store('c', j, ref('acc')),
    ]),
  );
  assert.equal(planJam(outer), undefined);
  // The inner range depends on the jammed index (triangular): not jammed.
  const tri = loop(
    for_('j', num(0), ref('m'), [
      let_('acc', num(0)),
      for_('p', num(0), j, [assign('acc', add(ref('acc'), load('a', ref('p'))))]),
      store('c', j, ref('acc')),
    ]),
  );
  assert.equal(planJam(tri), undefined);
});

test('a kernel with a gather: the fast copy reads idx unchecked, a[…] checked through the int64 overload', () => {
  const k = kernel({
    name: 'gather',
    pattern: 'map',
    result: { kind: 'void' },
    params: [
      arrayParam('a', 'f64', 'read'),
      arrayParam('idx', 'i32', 'read'),
      arrayParam('out', 'f64', 'write'),
      scalarParam('n', 'f64'),
    ],
    body: [for_('i', num(0), ref('n'), [store('out', i, load('a', load('idx', i)))])],
  });
  const cc = kernelCc(k);
  assert.match(cc, /hotloop::Iv /);
  assert.match(cc, /hotloop::ivIn\(hl_iv\d+_i, idx\.length\)/);
  assert.doesNotMatch(cc, /ivIn\([^)]*, a\.length\)/);
  assert.match(
    cc,
    /hl_p_out\[i\] = hotloop::conv\(hl_p_out, hotloop::load\(a, static_cast<int64_t>\(hl_p_idx\[i\]\)\)\);/,
  );
  // The checked copy as before.
  assert.match(cc, /hotloop::store\(out, i, hotloop::load\(a, hotloop::load\(idx, i\)\)\);/);
});
