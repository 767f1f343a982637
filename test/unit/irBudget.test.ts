// The interpreter's iteration budget: a kernel whose loop does not end on its inputs (a convergence
// loop that never converges) ends with a KernelBudgetError naming the kernel and the loop, in a run,
// a probe and when sizing inputs; a loop that ends within the budget runs as before.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assign,
  bin,
  break_,
  for_,
  if_,
  kernel,
  let_,
  mul,
  num,
  ref,
  scalarParam,
} from '../../src/core/ir/build.js';
import { KernelBudgetError, probeKernel, runKernel } from '../../src/core/ir/interpret.js';
import { makeInputs } from '../../src/core/ir/random.js';
import type { Kernel } from '../../src/core/ir/types.js';

/** `let y = x; while (!(y < 1)) y = y * r; return y` as the analysis lowers it: ends only when r < 1. */
const converge: Kernel = kernel({
  name: 'converge',
  pattern: 'nested',
  params: [scalarParam('x', 'f64'), scalarParam('r', 'f64')],
  body: [
    let_('y', ref('x')),
    for_('w', num(0), num('Infinity'), [
      if_(bin('<', ref('y'), num(1)), [break_]),
      assign('y', mul(ref('y'), ref('r'))),
    ]),
  ],
  result: { kind: 'scalar', expr: ref('y') },
});

describe('iteration budget', () => {
  test('a loop that ends within the budget gives its result', () => {
    assert.equal(runKernel(converge, [8, 0.5], { maxIterations: 100 }).result, 0.5);
  });

  test('a loop that never ends stops with a KernelBudgetError naming the kernel and the loop', () => {
    assert.throws(
      () => runKernel(converge, [8, 1], { maxIterations: 1000 }),
      (err: unknown) =>
        err instanceof KernelBudgetError &&
        err.kernel === 'converge' &&
        err.budget === 1000 &&
        /kernel 'converge': more than 1000 loop iterations \(in the loop over 'w'\)/.test(err.message),
    );
  });

  test('the budget counts the iterations of every loop of the run together', () => {
    const nested = kernel({
      name: 'nested',
      pattern: 'nested',
      params: [scalarParam('n')],
      body: [
        let_('s', num(0)),
        for_('i', num(0), ref('n'), [for_('j', num(0), ref('n'), [assign('s', bin('+', ref('s'), num(1)))])]),
      ],
      result: { kind: 'scalar', expr: ref('s') },
    });
    // 10 outer + 100 inner iterations.
    assert.equal(runKernel(nested, [10], { maxIterations: 110 }).result, 100);
    assert.throws(() => runKernel(nested, [10], { maxIterations: 109 }), KernelBudgetError);
  });

  test('a run after a stopped run has its whole budget again', () => {
    assert.throws(() => runKernel(converge, [8, 1], { maxIterations: 10 }), KernelBudgetError);
    assert.equal(runKernel(converge, [8, 0.5], { maxIterations: 5 }).result, 0.5);
  });

  test('the probe and input sizing stop too, by default, with the same error', () => {
    assert.throws(() => probeKernel(converge, [8, 1], new Map(), { maxIterations: 50 }), KernelBudgetError);
    // makeInputs probes with the default budget; this kernel loops forever on any number but NaN.
    const forever = kernel({
      name: 'forever',
      pattern: 'nested',
      params: [scalarParam('x', 'f64')],
      body: [
        let_('y', ref('x')),
        for_('w', num(0), num('Infinity'), [
          if_(bin('!==', ref('y'), ref('y')), [break_]),
          assign('y', bin('+', ref('y'), num(0))),
        ]),
      ],
      result: { kind: 'scalar', expr: ref('y') },
    });
    assert.throws(() => makeInputs(forever, { n: 4, seed: 1 }), /kernel 'forever': more than 100000000/);
  });
});
