// The scaffold's own check (check.ts, run by `npm run check` and `hotloop build`) compares the fast
// path with the original: exactly, except where the target documents a difference — reassociated
// sums, and native code calling libm's transcendental functions (which round differently from V8's
// in the last ulp or so; dsp.js's DFT sine table failed its native check on that alone).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arrayParam, call, for_, kernel, len, load, ref, store } from '../../src/core/ir/build.js';
import type { Expr, Kernel } from '../../src/core/ir/types.js';
import { completeFiles } from '../../src/core/scaffold/files.js';
import { nativeEmitter } from '../../src/core/scaffold/native/emit.js';
import { wasmEmitter } from '../../src/core/scaffold/wasm/emit.js';
import type { Emitter } from '../../src/core/scaffold/types.js';

function mapKernel(name: string, value: (x: Expr) => Expr): Kernel {
  return kernel({
    name,
    pattern: 'map',
    params: [arrayParam('xs', 'f64', 'read', 'typed'), arrayParam('out', 'f64', 'write', 'typed')],
    body: [
      for_('i', { kind: 'const', value: 0 }, len('xs'), [
        store('out', ref('i'), value(load('xs', ref('i')))),
      ]),
    ],
    result: { kind: 'void' },
  });
}

function checkTs(e: Emitter, k: Kernel): string {
  const ctx = { exportName: k.name };
  const r = e.emit(k, ctx);
  assert.ok(r.ok, r.ok ? '' : r.reason);
  return completeFiles(k, e.target, e.title, ctx, r).find((f) => f.path === 'check.ts')!.contents;
}

const LIBM = '2 ** -48';

test('a native kernel calling sin agrees within 2⁻⁴⁸; without libm calls, or on wasm (host Math), exactly', () => {
  const sine = mapKernel('sine', (x) => call('sin', x));
  const twice = mapKernel('twice', (x) => ({
    kind: 'bin',
    op: '*',
    left: x,
    right: { kind: 'const', value: 2 },
  }));
  assert.ok(checkTs(nativeEmitter, sine).includes(LIBM), 'native + sin: the libm rule');
  assert.ok(!checkTs(nativeEmitter, twice).includes(LIBM), 'native without libm: exact');
  assert.match(checkTs(nativeEmitter, twice), /return false;\n\}/);
  assert.ok(!checkTs(wasmEmitter, sine).includes(LIBM), 'wasm calls the host Math: exact');
});
