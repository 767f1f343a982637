// The wrapper's run-time check of what the analysis inferred from use: an inferred array must be an
// array of numbers without holes (a copied array would fill them), an inferred scalar a number. The
// guard's TS is emitted, transpiled and run on good and bad arguments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ts } from '../../src/core/analysis/ts.js';
import {
  arrayParam,
  for_,
  kernel,
  len,
  load,
  mul,
  ref,
  scalarParam,
  store,
} from '../../src/core/ir/build.js';
import { validateKernel } from '../../src/core/ir/validate.js';
import { guardFunction, hasGuards } from '../../src/core/scaffold/common/guards.js';
import { signatureParams } from '../../src/core/scaffold/common/tsEmit.js';
import { Lines } from '../../src/core/ir/stmtEmitter.js';
import { loadJs } from '../support/loadJs.js';

const k = kernel({
  name: 'scale',
  pattern: 'map',
  params: [
    { ...arrayParam('xs', 'f64', 'read', 'array'), typeSource: 'inferred' },
    { ...scalarParam('s', 'f64'), typeSource: 'inferred' },
    arrayParam('out', 'f64', 'write', 'array'),
  ],
  body: [
    for_('i', { kind: 'const', value: 0 }, len('xs'), [
      store('out', ref('i'), mul(load('xs', ref('i')), ref('s'))),
    ]),
  ],
  result: { kind: 'void' },
});

type Guard = (...args: unknown[]) => boolean;

/** The emitted guard as a function; its warnings go to `warnings`. */
function guardOf(warnings: string[]): Guard {
  const out = new Lines();
  guardFunction(out, k, 'scale', signatureParams(k));
  const js = ts.transpileModule(out.text(), {
    compilerOptions: { target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const applies = loadJs(js, 'fastPathApplies') as unknown as Guard;
  return (...args) => {
    const warn = console.warn;
    console.warn = (m: string) => {
      warnings.push(m);
    };
    try {
      return applies(...args);
    } finally {
      console.warn = warn;
    }
  };
}

test('inferred arrays without holes and inferred numbers pass; holes and strings run the original', () => {
  assert.deepEqual(validateKernel(k), []);
  assert.ok(hasGuards(k));
  const warnings: string[] = [];
  const applies = guardOf(warnings);
  assert.equal(applies([1, 2, 3], 2, [0, 0, 0]), true);
  assert.equal(applies([], 0.5, []), true);
  // eslint-disable-next-line no-sparse-arrays
  assert.equal(applies([1, , 3], 2, [0, 0, 0]), false);
  assert.equal(applies(new Array(3), 2, [0, 0, 0]), false);
  assert.equal(applies([1, 2, 3], '2', [0, 0, 0]), false);
  assert.equal(applies([1, 2, 3], undefined, [0, 0, 0]), false);
  assert.equal(warnings.length, 1, 'one warning per process');
  assert.match(warnings[0]!, /`xs` is not an array of numbers/);
  const fresh: string[] = [];
  assert.equal(guardOf(fresh)([1], '2', [0]), false);
  assert.match(fresh[0]!, /`s` is not a number \(its type was inferred/);
});
