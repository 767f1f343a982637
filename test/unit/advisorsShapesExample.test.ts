// The shapes advisor's example (examples/advisors/shapes): the advice applied (the one-shape decoders,
// `--one-shape`) prints the same book values; and run under the advisor, the example's hot reads in
// book.ts are reported megamorphic with the five decoders named as the makers of the shapes.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { adviseShapesRun } from '../../src/core/advisors/shapes/index.js';

const root = join(import.meta.dirname, '..', '..');
const main = join(root, 'examples', 'advisors', 'shapes', 'main.ts');
const run = async (args: readonly string[]): Promise<string> =>
  (
    await promisify(execFile)(process.execPath, ['--import', 'tsx', main, ...args], {
      cwd: root,
      timeout: 120_000,
    })
  ).stdout;

test('the one-shape decoders print the same book values', async () => {
  const [before, after] = [await run(['20001', '7']), await run(['20001', '7', '--one-shape'])];
  assert.match(before, /^orders 20001 {2}scenarios 7$/m);
  assert.equal(before.trim().split('\n').length, 8);
  assert.equal(after, before);
});

test('the advisor names the megamorphic reads of book.ts and the five decoders', async () => {
  const r = await adviseShapesRun({
    root,
    file: 'examples/advisors/shapes/main.ts',
    args: ['20000', '20'],
    timeoutMs: 120_000,
  });
  assert.equal(r.exit.code, 0);
  const advice = r.findings.filter((f) => f.verdict.kind === 'advice');
  assert.deepEqual(
    advice.map((f) => [f.file, f.line, f.key, f.state]),
    [
      ['examples/advisors/shapes/book.ts', 13, 'qty', 'megamorphic'],
      ['examples/advisors/shapes/book.ts', 13, 'price', 'megamorphic'],
    ],
  );
  const makers = new Set(advice[0]!.shapes.map((s) => s.madeAt?.functionName));
  for (const d of ['fromWeb', 'fromApp', 'fromPos', 'fromPartner', 'fromImport']) assert.ok(makers.has(d), d);
});
