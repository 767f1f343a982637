// Emitter goldens: the generated code of a handful of kernels for every target, one file per
// kernel × target under test/fixtures/emitters/, so a diff shows what changed in generated code.
// A mismatch writes `<golden>.actual` beside it; UPDATE_GOLDENS=1 accepts the new output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Kernel } from '../../src/core/ir/types.js';
import {
  add,
  arrayParam,
  assign,
  bin,
  break_,
  call,
  for_,
  if_,
  kernel,
  len,
  let_,
  load,
  load2,
  rowLen,
  store2,
  mul,
  num,
  ref,
  return_,
  scalarParam,
  store,
  sub,
} from '../../src/core/ir/build.js';
import { kernelToTs } from '../../src/core/scaffold/common/tsEmit.js';
import { workerEmitter } from '../../src/core/scaffold/worker/emit.js';
import { emitAssemblyScript } from '../../src/core/scaffold/wasm/emit.js';
import { nativeKernelSource } from '../../src/core/scaffold/native/glue.js';
import { gpuShaders } from '../../src/core/scaffold/gpu/emit.js';
import { cudaSource } from '../../src/core/scaffold/gpu/cuda.js';
import { tunedJsSource } from '../../src/core/scaffold/js/emit.js';

const root = resolve(import.meta.dirname, '../..');
const dir = join(root, 'test/fixtures/emitters');
const [i, j, n] = [ref('i'), ref('j'), ref('n')];
const f64 = (name: string, access: 'read' | 'write' | 'readwrite') => arrayParam(name, 'f64', access);

const KERNELS: readonly Kernel[] = [
  kernel({
    name: 'saxpy',
    pattern: 'map',
    params: [f64('x', 'read'), f64('y', 'readwrite'), scalarParam('a', 'f64')],
    body: [
      for_('i', num(0), len('x'), [store('y', i, add(mul(ref('a'), load('x', i)), load('y', i)))], {
        parallel: [],
      }),
    ],
    result: { kind: 'void' },
  }),
  kernel({
    name: 'sumsq',
    pattern: 'reduce',
    orderSensitive: true,
    params: [f64('x', 'read')],
    body: [
      let_('s', num(0)),
      for_('i', num(0), len('x'), [assign('s', add(ref('s'), mul(load('x', i), load('x', i))))], {
        parallel: [{ name: 's', op: 'sum' }],
      }),
    ],
    result: { kind: 'scalar', expr: call('sqrt', ref('s')) },
  }),
  kernel({
    name: 'clampMap',
    pattern: 'map',
    params: [f64('x', 'read'), f64('out', 'write')],
    body: [
      for_(
        'i',
        num(0),
        len('x'),
        [if_(bin('<', load('x', i), num(0)), [store('out', i, num(0))], [store('out', i, load('x', i))])],
        { parallel: [] },
      ),
    ],
    result: { kind: 'array', name: 'out' },
  }),
  kernel({
    name: 'gemv',
    pattern: 'gemv',
    orderSensitive: true,
    params: [f64('A', 'read'), f64('x', 'read'), f64('y', 'write'), scalarParam('m'), scalarParam('n')],
    body: [
      for_(
        'i',
        num(0),
        ref('m'),
        [
          let_('s', num(0)),
          for_(
            'j',
            num(0),
            n,
            [assign('s', add(ref('s'), mul(load('A', add(mul(i, n), j)), load('x', j))))],
            { parallel: [{ name: 's', op: 'sum' }] },
          ),
          store('y', i, ref('s')),
        ],
        { parallel: [] },
      ),
    ],
    result: { kind: 'void' },
  }),
  kernel({
    name: 'firstAbove',
    pattern: 'reduce',
    params: [f64('x', 'read'), scalarParam('t', 'f64')],
    body: [for_('i', num(0), len('x'), [if_(bin('>', load('x', i), ref('t')), [return_(i)])])],
    result: { kind: 'scalar', expr: num(-1) },
  }),
  kernel({
    name: 'strided',
    pattern: 'map',
    params: [f64('x', 'read'), f64('out', 'write'), scalarParam('n'), scalarParam('dim')],
    body: [
      for_('i', sub(n, num(1)), num(-1), [store('out', i, load('x', i))], { step: -1 }),
      for_(
        'i',
        num(0),
        n,
        [if_(bin('<', load('x', i), num(0)), [break_]), store('out', i, mul(load('x', i), num(2)))],
        { stepExpr: ref('dim') },
      ),
    ],
    result: { kind: 'void' },
  }),
  // Arrays of rows: m[i][j], m[i].length and m[i][0] = s on a number[][].
  kernel({
    name: 'rowTotals',
    pattern: 'nested',
    orderSensitive: true,
    params: [{ ...arrayParam('m', 'f64', 'readwrite', 'array'), rank: 2 }, f64('out', 'write')],
    body: [
      for_(
        'i',
        num(0),
        len('m'),
        [
          let_('s', num(0)),
          for_('j', num(0), rowLen('m', i), [assign('s', add(ref('s'), load2('m', i, j)))]),
          store('out', i, ref('s')),
          store2('m', i, num(0), ref('s')),
        ],
        { parallel: [] },
      ),
    ],
    result: { kind: 'void' },
  }),
];

function attempt(f: () => string): string {
  try {
    return f();
  } catch (err) {
    return `declined: ${err instanceof Error ? err.message : String(err)}\n`;
  }
}

const TARGETS: Readonly<Record<string, (k: Kernel) => string>> = {
  ts: (k) => kernelToTs(k),
  worker: (k) => {
    const r = workerEmitter.emit(k, { exportName: k.name, workerInlineBelowOps: 1000 });
    if (!r.ok) return `declined: ${r.reason}\n`;
    return r.files
      .filter((f) => f.role !== 'runtime')
      .map((f) => `// ---- ${f.path}\n${f.contents}`)
      .join('\n');
  },
  wasm: (k) => {
    const r = emitAssemblyScript(k, k.name);
    return r.ok ? r.source : `declined: ${r.reason}\n`;
  },
  native: (k) => attempt(() => nativeKernelSource(k, k.name).source),
  wgsl: (k) =>
    attempt(() =>
      gpuShaders(k)
        .map((s) => s.wgsl)
        .join('\n// ----\n'),
    ),
  cuda: (k) => attempt(() => cudaSource(k, k.name)),
  js: (k) => tunedJsSource(k, k.name).source,
};

test(`emitter goldens: ${KERNELS.length} kernels × ${Object.keys(TARGETS).length} targets`, () => {
  const failures: string[] = [];
  for (const k of KERNELS) {
    for (const [target, emit] of Object.entries(TARGETS)) {
      const golden = join(dir, `${k.name}.${target}.golden.txt`);
      const actual = emit(k);
      if (process.env.UPDATE_GOLDENS === '1') {
        writeFileSync(golden, actual);
        rmSync(`${golden}.actual`, { force: true });
        continue;
      }
      const expected = existsSync(golden) ? readFileSync(golden, 'utf8') : undefined;
      if (expected === actual) rmSync(`${golden}.actual`, { force: true });
      else {
        writeFileSync(`${golden}.actual`, actual);
        failures.push(
          `${relative(root, golden)} ${expected === undefined ? 'does not exist' : 'differs'}; wrote ${relative(root, golden)}.actual`,
        );
      }
    }
  }
  assert.deepEqual(failures, [], 'UPDATE_GOLDENS=1 accepts the new output');
});
