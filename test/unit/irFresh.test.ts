// The IR contract of fresh output arrays (`ArrayParam.fresh`): what the validator refuses, how the
// arrays are allocated from the original's arguments, and the plain-Array result.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  asOriginalResult,
  inputParams,
  originalArgs,
  runAsOriginal,
  withFresh,
} from '../../src/core/ir/fresh.js';
import { makeInputs } from '../../src/core/ir/random.js';
import type { Kernel, Param } from '../../src/core/ir/types.js';
import { validateKernel } from '../../src/core/ir/validate.js';

const v = (name: string) => ({ kind: 'var' as const, name });

function kernel(out: Param, length = { kind: 'len' as const, array: 'a' }): Kernel {
  const fresh = out.kind === 'array' ? { ...out, fresh: { length, plain: true } } : out;
  return {
    irVersion: 1,
    name: 'twice',
    params: [
      { kind: 'array', name: 'a', dtype: 'f64', container: 'array', access: 'read' },
      { kind: 'scalar', name: 'k', dtype: 'f64' },
      fresh,
    ],
    consts: [],
    body: [
      {
        kind: 'for',
        index: 'i',
        start: { kind: 'const', value: 0 },
        end: { kind: 'len', array: 'a' },
        step: 1,
        body: [
          {
            kind: 'store',
            array: 'ret',
            index: v('i'),
            value: { kind: 'bin', op: '*', left: { kind: 'load', array: 'a', index: v('i') }, right: v('k') },
          },
        ],
      },
    ],
    result: { kind: 'array', name: 'ret' },
    pattern: 'map',
    orderSensitive: false,
    inlined: [],
  };
}

const OUT: Param = { kind: 'array', name: 'ret', dtype: 'f64', container: 'typed', access: 'write' };

describe('fresh output arrays in the IR', () => {
  test('a valid kernel runs in the original place: allocated from the inputs, a plain Array back', () => {
    const k = kernel(OUT);
    assert.deepEqual(validateKernel(k), []);
    assert.deepEqual(
      inputParams(k).map((p) => p.name),
      ['a', 'k'],
    );
    assert.deepEqual(runAsOriginal(k, [[1, 2, NaN], 3]), [3, 6, NaN]);
    assert.deepEqual(runAsOriginal(k, [[], 3]), []);
    const full = withFresh(k, [[1, 2], 3]);
    assert.ok(full[2] instanceof Float64Array && full[2].length === 2);
    assert.ok(Array.isArray(asOriginalResult(k, new Float64Array(2))));
  });

  test('makeInputs sizes a fresh array by its length expression', () => {
    const k = kernel(OUT);
    const args = makeInputs(k, { n: 9, seed: 1 });
    assert.equal((args[2] as Float64Array).length, (args[0] as number[]).length);
    assert.equal(originalArgs(k, args).length, 2);
  });

  test('an invalid length throws what new Array(n) throws', () => {
    const k = kernel(OUT, {
      kind: 'bin',
      op: '-',
      left: v('k'),
      right: { kind: 'const', value: 0.5 },
    } as never);
    assert.throws(() => withFresh(k, [[1], 3]), /RangeError: Invalid array length|Invalid array length/);
  });

  test('the validator refuses a fresh array that is not a written rank-1 typed array, or a length over other fresh arrays or locals', () => {
    const plain = validateKernel(kernel({ ...OUT, container: 'array' }));
    assert.ok(
      plain.some((e) => /rank-1 typed container/.test(e)),
      plain.join('\n'),
    );
    const local = validateKernel(kernel(OUT, v('i') as never));
    assert.ok(
      local.some((e) => /uses 'i'/.test(e)),
      local.join('\n'),
    );
    const self = validateKernel(kernel(OUT, { kind: 'len', array: 'ret' }));
    assert.ok(
      self.some((e) => /uses 'ret'/.test(e)),
      self.join('\n'),
    );
  });
});
