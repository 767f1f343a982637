// `hotloop advise` on the columnar advisor's findings: the rewrite and the look-alike's reason in the
// text output, and the findings under `columnar` in --json.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, test, before, after } from 'node:test';
import { adviseCommand } from '../../src/cli/advise.js';
import { calibrate, calibrationPath } from '../../src/core/advice/index.js';
import type { ColumnarFinding } from '../../src/core/advisors/columnar/index.js';

const POSITIVE = 'test/fixtures/advisors/columnar/positive/csvTwoQueries.ts';
const NEGATIVE = 'test/fixtures/advisors/columnar/negative/onePass.ts';

async function advise(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await adviseCommand.run(args, { signal: new AbortController().signal, stdout, stderr });
  return { code, out, err };
}

describe('hotloop advise: columnar findings', () => {
  let dir = '';
  const saved = process.env.HOTLOOP_CACHE_DIR;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hotloop-columnar-cal-'));
    process.env.HOTLOOP_CACHE_DIR = dir;
    const cal = await calibrate({ budgetMs: 8, n: 50_000, gpu: false });
    await writeFile(calibrationPath(dir), JSON.stringify(cal));
  });
  after(async () => {
    if (saved === undefined) delete process.env.HOTLOOP_CACHE_DIR;
    else process.env.HOTLOOP_CACHE_DIR = saved;
    await rm(dir, { recursive: true, force: true });
  });

  test('--json: the findings come under `columnar`', async () => {
    const r = await advise([POSITIVE, NEGATIVE, '--json']);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out) as { columnar: ColumnarFinding[] };
    assert.deepEqual(
      json.columnar.map((f) => [f.file, f.records, f.line, f.verdict.kind]),
      [
        [POSITIVE, 'trades', 4, 'rewrite'],
        [NEGATIVE, 'rows', 4, 'left-alone'],
      ],
    );
  });

  test('text: the rewrite with its columns, the look-alike with its reason', async () => {
    const r = await advise([POSITIVE, NEGATIVE]);
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      /csvTwoQueries\.ts:4 {2}columnar `trades` \(mapped-literal\) in run {2}2 pipeline\(s\) .*price: Float64Array, qty: Int32Array/,
    );
    assert.match(r.out, /^ {4}assumes nothing changes `trades`/m);
    assert.match(r.out, /onePass\.ts:4 {2}columnar `rows` .*left as is: one pipeline, run once/);
  });
});
