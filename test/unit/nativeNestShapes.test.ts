// Loop interchange (interchange.ts) and arg-max fission (fission.ts) of the native target's fast
// copies, at the source level: which nests and loops qualify, and the C++ they become. That the
// interchanged and split loops run and give the JS results exactly is checked on the built addon by
// scaffoldNative.test.ts (the ver_stage and ver_peak cases of nativeVersioningKernels.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Expr, Kernel, Stmt } from '../../src/core/ir/types.js';
import {
  add,
  arrayParam,
  assign,
  for_,
  kernel,
  load,
  mul,
  num,
  ref,
  scalarParam,
  store,
} from '../../src/core/ir/build.js';
import { kernelCc } from './nativeBuild.js';
import { complexButterfly, complexStage } from './nativeVersioningKernels.js';
import { planNest } from '../../src/core/scaffold/native/versioning.js';
import type { ForStmt } from '../../src/core/scaffold/native/versioning.js';
import { planInterchange } from '../../src/core/scaffold/native/interchange.js';
import { planFission } from '../../src/core/scaffold/native/fission.js';

const i = ref('i');
const k = ref('k');

const stage = (body: readonly Stmt[], after: readonly Stmt[] = []): Kernel =>
  complexStage('stage', body, after);
const butterfly = complexButterfly;

function plan(kn: Kernel): ReturnType<typeof planInterchange> {
  const J = kn.body.find((s): s is ForStmt => s.kind === 'for')!;
  const scalars = new Set(['n', 's', 'k', 'k2', 'h', 'c', 'ik']);
  const p = planNest(J, (n) => (scalars.has(n) ? 'f64' : undefined));
  assert.ok(p, 'the stage nest is versioned');
  return planInterchange(J, p, kn, () => false);
}

test('planInterchange: an FFT stage keeps c per j, offsets {k, 0}, and re/im/tw disjoint', () => {
  const ic = plan(stage(butterfly));
  assert.ok(ic);
  assert.deepEqual(ic.snaps, ['c']);
  assert.deepEqual(
    ic.offsets.map((o) => JSON.stringify(o)),
    [JSON.stringify(k), JSON.stringify(num(0))],
  );
  assert.deepEqual(ic.disjoint.map((p) => p.join('/')).sort(), ['im/tw', 'im/re', 're/tw'].sort());
});

test('planInterchange: refused when a pair of iterations could share a scalar or an element', () => {
  // An accumulator across the butterflies (the order of its sums would change).
  assert.equal(plan(stage([...butterfly, assign('h', add(ref('h'), load('re', i)))])), undefined);
  // A body scalar read after the nest (its last value is the last butterfly's, in the old order).
  assert.equal(plan(stage(butterfly, [store('re', num(0), ref('ik'))])), undefined);
  // A stored array read at an index that is not i + offset (re[2i]).
  assert.equal(
    plan(stage([...butterfly.slice(0, 2), store('re', i, load('re', mul(i, num(2))))])),
    undefined,
  );
  // pre reads an array the body stores (the twiddle would see earlier blocks' results).
  const k2 = stage(butterfly);
  const J = k2.body[4] as ForStmt;
  const readsRe: Kernel = {
    ...k2,
    body: [...k2.body.slice(0, 4), { ...J, body: [assign('c', load('re', ref('h'))), ...J.body.slice(1)] }],
  };
  assert.equal(plan(readsRe), undefined);
});

test('the interchanged nest behind its run-time check, the plain fast nest as its else', () => {
  const cc = kernelCc(stage(butterfly));
  assert.match(
    cc,
    /hotloop::blockFree\(hl_x\d+_o, 2, hl_x\d+_L, hl_st\d+_i_i\) && hotloop::disjoint\(re, tw\) && hotloop::disjoint\(im, re\)/,
  );
  assert.match(cc, /HOTLOOP_PATH\(3\);/);
  // Pass 1 keeps c per j; pass 2 reads it back beside i = b + (j - j0).
  assert.match(cc, /hl_x\d+_sb\[0 \* hl_x\d+_L \+ \(j - hl_x\d+_j0\)\] = c;/);
  assert.match(cc, /const int64_t i = hl_x\d+_b \+ \(j - hl_x\d+_j0\);\n\s+const double c = hl_x\d+_sb\[/);
  assert.match(cc, /HOTLOOP_CLONES static void compute\(/);
});

/** dsp.js's calculateSpectrum loop, with `extra` statements appended to its body. */
function spectrum(opts: { extra?: Stmt[]; stored?: Expr; dtype?: 'f64' | 'f32'; cond?: Expr } = {}): Kernel {
  return kernel({
    name: 'spectrum',
    pattern: 'map',
    result: { kind: 'void' },
    params: [
      arrayParam('re', 'f64', 'read'),
      arrayParam('out', opts.dtype ?? 'f64', 'write'),
      arrayParam('res', 'f64', 'write'),
      scalarParam('n', 'f64'),
    ],
    body: [
      { kind: 'let', name: 'mag', dtype: 'f64', init: num(0) },
      { kind: 'let', name: 'peak', dtype: 'f64', init: num(0) },
      { kind: 'let', name: 'band', dtype: 'f64', init: num(0) },
      for_('i', num(0), ref('n'), [
        assign('mag', { kind: 'call', fn: 'sqrt', args: [load('re', i)] }),
        {
          kind: 'if',
          cond: opts.cond ?? { kind: 'bin', op: '>', left: ref('mag'), right: ref('peak') },
          then: [assign('band', i), assign('peak', ref('mag'))],
          else: [],
        },
        store('out', i, opts.stored ?? ref('mag')),
        ...(opts.extra ?? []),
      ]),
      store('res', num(0), ref('peak')),
      store('res', num(1), ref('band')),
    ],
  });
}

const fission = (kn: Kernel, exact = (a: string): boolean => a !== 'f32') =>
  planFission(
    kn.body.find((s): s is ForStmt => s.kind === 'for')!,
    exact,
  );

test('planFission: a running arg-max beside a stored map splits; anything that ties them does not', () => {
  const ok = fission(spectrum());
  assert.ok(ok);
  assert.equal(ok.value, 'mag');
  assert.equal(ok.array, 'out');
  assert.equal(ok.first.length, 2);
  // The stored value is not the compared one.
  assert.equal(fission(spectrum({ stored: mul(ref('mag'), num(2)) })), undefined);
  // A second store (it may alias the first).
  assert.equal(fission(spectrum({ extra: [store('res', num(2), ref('mag'))] })), undefined);
  // The map reads the running peak.
  assert.equal(fission(spectrum({ extra: [assign('mag', ref('peak'))] })), undefined);
  // The condition reads a value the loop changes besides the compared one.
  assert.equal(
    fission(spectrum({ cond: { kind: 'bin', op: '>', left: ref('mag'), right: load('re', i) } })),
    undefined,
  );
  // A Float32Array (or a number[] instantiated for one) does not give the double back.
  assert.equal(
    fission(spectrum(), () => false),
    undefined,
  );
});

test('the split loops in the fast copy: the map, then the arg-max over the stored values', () => {
  const cc = kernelCc(spectrum());
  assert.match(
    cc,
    /hl_p_out\[i\] = hotloop::conv\(hl_p_out, mag\);\n\s+\}\n\s+for \(int64_t i = INT64_C\(0\); i < hl_n_n; i \+= 1\) \{ \/\/ the arg-max of the stored values \(fission\)\n\s+const double mag = hl_p_out\[i\];\n\s+if \(\(mag > peak\)\) \{/,
  );
  // A Float32Array output keeps the one loop.
  assert.doesNotMatch(kernelCc(spectrum({ dtype: 'f32' })), /fission/);
});
