// Applying rewrites of kernels with fresh output arrays (arrays the original allocates itself): the
// wrapper takes the original's arguments and returns the new array. A whole function is replaced by
// the call; a loop inside a bigger function is extracted and the call site assigns the array
// (`const` becomes `let`). The applied code, with the wrapper standing in as the IR interpreter, gives
// the original's results; the inverse edits give back the original byte for byte.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeSource } from '../../src/core/analysis/index.js';
import { ts } from '../../src/core/analysis/ts.js';
import {
  applyTextEdits,
  inverseTextEdits,
  planApply,
  textHash,
  type ApplyRequest,
} from '../../src/core/advice/apply.js';
import { originalArgs, runAsOriginal } from '../../src/core/ir/fresh.js';
import { cloneArgs, makeInputs } from '../../src/core/ir/random.js';
import type { Kernel, KernelArg } from '../../src/core/ir/types.js';
import { loadJs } from '../support/loadJs.js';

const root = new URL('../..', import.meta.url).pathname;
const fixture = (f: string): string => readFileSync(join(root, 'test/fixtures/loops', f), 'utf8');

function plan(file: string, text: string, fn: string): { out: string; kernel: Kernel; local: string } {
  const loop = analyzeSource(file, text).loops.find((l) => l.functionName === fn && l.depth === 0);
  assert.ok(loop?.kernel, `no kernel for ${fn}`);
  const req: ApplyRequest = {
    text,
    fileName: file,
    loop,
    expectedHash: textHash(text),
    wrapper: {
      importPath: `../hotloop/${loop.kernel.name}-native/index.js`,
      exportName: loop.kernel.name,
      target: 'native',
      async: false,
    },
  };
  const p = planApply(req);
  assert.ok(p.ok, p.ok ? '' : p.reason);
  const out = applyTextEdits(text, p.edits);
  assert.equal(applyTextEdits(out, inverseTextEdits(text, p.edits)), text);
  return { out, kernel: loop.kernel, local: p.localName };
}

/** Runs `fn` of `text`, with the wrapper import answered by the IR interpreter standing in for the wrapper. */
function run(text: string, fn: string, kernel: Kernel, args: KernelArg[]): unknown {
  const js = ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText;
  const wrapper = { [kernel.name]: (...a: KernelArg[]) => runAsOriginal(kernel, a) };
  return loadJs(js, fn, () => wrapper)(...args);
}

function agree(text: string, out: string, fn: string, kernel: Kernel): void {
  for (const [n, edge] of [
    [0, 'empty'],
    [1, 'one'],
    [17, 'none'],
    [33, 'nan'],
  ] as const) {
    const args = originalArgs(kernel, makeInputs(kernel, { n, seed: 3, edge }));
    assert.deepEqual(
      run(out, fn, kernel, cloneArgs(args)),
      run(text, fn, kernel, cloneArgs(args)),
      `${fn} n ${n}`,
    );
  }
}

describe('apply with fresh output arrays', () => {
  test('a whole function: the body becomes the wrapper call with the original parameters', () => {
    const text = fixture('92-fresh-array-push.ts');
    const { out, kernel, local } = plan('src/scaled.ts', text, 'scaled');
    assert.match(out, new RegExp(`return ${local}\\(xs, n, k\\);`));
    agree(text, out, 'scaled', kernel);
  });

  test('a loop inside a bigger function: extracted, the call site assigns the new array, const becomes let', () => {
    const text = fixture('99-fresh-loop-extracted.ts');
    const { out, kernel } = plan('src/diff.ts', text, 'diffStats');
    assert.match(out, /let diff: number\[\] = \[\];/);
    assert.match(out, /diff = diffStats_loop0\(a, b\);/);
    assert.match(out, /function diffStats_loop0\(a: number\[\], b: number\[\]\): number\[\] \{/);
    agree(text, out, 'diffStats', kernel);
  });
});
