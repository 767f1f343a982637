// The newer IR forms (early exits, throw guards, descending and run-time steps, rank-2 arrays):
// what the validator rejects and why, what the interpreter computes, and which targets decline.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  add,
  arrayParam,
  assign,
  bin,
  break_,
  continue_,
  for_,
  if_,
  kernel,
  len,
  let_,
  load,
  load2,
  num,
  ref,
  return_,
  rowLen,
  scalarParam,
  store,
  store2,
  throw_,
} from '../../src/core/ir/build.js';
import { validateKernel } from '../../src/core/ir/validate.js';
import { runKernel } from '../../src/core/ir/interpret.js';
import { kernelToJs } from '../../src/core/ir/toJs.js';
import { printKernel } from '../../src/core/ir/print.js';
import type { Kernel, Stmt } from '../../src/core/ir/types.js';
import { loadJs } from '../support/loadJs.js';
import { workerEmitter } from '../../src/core/scaffold/worker/emit.js';
import { gpuEmitter } from '../../src/core/scaffold/gpu/emit.js';

const i = ref('i');
const n = ref('n');
const a = arrayParam('a', 'f64', 'read');

/** First index with a[i] > t, or -1. */
const firstAbove: Kernel = kernel({
  name: 'firstAbove',
  pattern: 'reduce',
  params: [a, scalarParam('t', 'f64')],
  body: [for_('i', num(0), len('a'), [if_(bin('>', load('a', i), ref('t')), [return_(i)])])],
  result: { kind: 'scalar', expr: num(-1) },
});

function errorsOf(
  body: Stmt[],
  result: Kernel['result'] = { kind: 'void' },
  params = [a, scalarParam('n')],
): string {
  return validateKernel(kernel({ name: 'k', pattern: 'map', params, body, result })).join('\n');
}

describe('validateKernel on early exits, steps and rows', () => {
  test('accepts well-formed kernels of every new form', () => {
    assert.deepEqual(validateKernel(firstAbove), []);
  });

  test('rejects misplaced exits with a message that says what to change', () => {
    assert.match(errorsOf([break_]), /'break' outside a for loop/);
    assert.match(
      errorsOf([for_('i', num(0), n, [continue_], { parallel: [] })]),
      /'continue' in a parallel loop .*drop 'parallel'/,
    );
    assert.match(
      errorsOf([for_('i', num(0), n, [if_(num(1), [throw_('RangeError', 'x')])], { parallel: [] })]),
      /'throw' inside a parallel loop/,
    );
    assert.match(
      errorsOf([for_('i', num(0), n, [for_('j', num(0), n, [return_()])], { parallel: [] })]),
      /'return' inside a parallel loop/,
    );
    assert.match(errorsOf([return_(num(1))]), /'return value' in a kernel whose result is void/);
    assert.match(
      errorsOf([return_()], { kind: 'scalar', expr: num(0) }),
      /'return' without a value in a kernel whose result is scalar/,
    );
    // A break of an inner sequential loop inside a parallel loop is fine.
    assert.equal(errorsOf([for_('i', num(0), n, [for_('j', num(0), n, [break_])], { parallel: [] })]), '');
  });

  test('rejects bad steps and rank mix-ups', () => {
    assert.match(errorsOf([for_('i', num(0), n, [], { step: 0 })]), /step must be a non-zero integer, got 0/);
    assert.match(
      errorsOf([for_('i', num(0), n, [], { step: 2, stepExpr: n })]),
      /with stepExpr, step gives only the direction/,
    );
    assert.match(errorsOf([for_('i', num(0), n, [], { stepExpr: i })]), /'i' is not defined here/);
    const rows = { ...arrayParam('m', 'f64', 'readwrite', 'array'), rank: 2 as const };
    assert.match(
      errorsOf([let_('x', load('m', num(0)))], { kind: 'void' }, [rows]),
      /'m' is a rank-2 array: a load needs a column/,
    );
    assert.match(
      errorsOf([let_('x', load2('a', num(0), num(0)))]),
      /a load on 'a', which is not a rank-2 array/,
    );
    assert.match(errorsOf([store2('a', num(0), num(0), num(1))]), /store to read-only|not a rank-2 array/);
  });
});

describe('the interpreter and kernelToJs on the new forms', () => {
  test('an early return gives the first hit, like the JS', () => {
    const xs = Float64Array.from([1, 5, 2, 7]);
    assert.equal(runKernel(firstAbove, [xs, 4]).result, 1);
    assert.equal(runKernel(firstAbove, [xs, 9]).result, -1);
    assert.equal(loadJs(kernelToJs(firstAbove), 'firstAbove')(xs, 4), 1);
  });

  test('descending and run-time steps visit the same indices as the JS', () => {
    const out = arrayParam('out', 'f64', 'write', 'array');
    const k = kernel({
      name: 'visit',
      pattern: 'map',
      params: [out, scalarParam('n'), scalarParam('s')],
      body: [
        let_('c', num(0)),
        for_('i', add(n, num(-1)), num(-1), [store('out', i, ref('c')), assign('c', add(ref('c'), num(1)))], {
          step: -2,
        }),
        for_('i', num(0), n, [store('out', i, add(load('out', i), num(100)))], { stepExpr: ref('s') }),
      ],
      result: { kind: 'array', name: 'out' },
    });
    assert.deepEqual(validateKernel(k), []);
    const mine = runKernel(k, [[0, 0, 0, 0, 0], 5, 3]).result;
    const theirs = loadJs(kernelToJs(k), 'visit')([0, 0, 0, 0, 0], 5, 3);
    assert.deepEqual(mine, [102, 0, 1, 100, 0]);
    assert.deepEqual(mine, theirs);
    assert.match(printKernel(k), /for i in n \+ -1 \.\.> -1 step -2/);
    assert.match(printKernel(k), /step \(s\)/);
  });

  test('throw guards throw the same class and message; rows read and write through a[i][j]', () => {
    const k = kernel({
      name: 'guarded',
      pattern: 'map',
      params: [{ ...arrayParam('m', 'f64', 'readwrite', 'array'), rank: 2 }],
      body: [
        for_('i', num(0), len('m'), [
          for_('j', num(0), rowLen('m', i), [
            if_(bin('<', load2('m', i, ref('j')), num(0)), [throw_('RangeError', 'negative entry')]),
            store2('m', i, ref('j'), add(load2('m', i, ref('j')), num(1))),
          ]),
        ]),
      ],
      result: { kind: 'void' },
    });
    assert.deepEqual(validateKernel(k), []);
    const rows = [[1, 2], Float64Array.from([3])];
    runKernel(k, [rows as unknown as number[]]);
    assert.deepEqual(
      rows.map((r) => [...r]),
      [[2, 3], [4]],
    );
    assert.throws(() => runKernel(k, [[[1], [-1]] as unknown as number[]]), {
      name: 'RangeError',
      message: 'negative entry',
    });
    assert.throws(() => loadJs(kernelToJs(k), 'guarded')([[1], [-1]] as unknown as number[]), {
      name: 'RangeError',
      message: 'negative entry',
    });
  });
});

describe('targets that cannot take a form decline with a stated reason', () => {
  test('worker and GPU decline an early return', () => {
    const w = workerEmitter.emit(firstAbove, { exportName: 'firstAbove' });
    assert.equal(w.ok, false);
    assert.match(w.reason, /ends early .*'return'/);
    const g = gpuEmitter.emit(firstAbove, { exportName: 'firstAbove' });
    assert.equal(g.ok, false);
    assert.match(g.reason, /GPU target does not take loops that exit early/);
  });
});
