// `hotloop advise` with the layout and hashing advisors: their findings come under `layout` and
// `hashing` in --json and as blocks in the text, and an IO-bound loop still gets the IO advice only.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { adviseCommand } from '../../src/cli/advise.js';
import { calibrate, calibrationPath } from '../../src/core/advice/index.js';

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

interface Finding {
  readonly kind: string;
  readonly line: number;
  readonly verdict: { readonly kind: string };
}

describe('hotloop advise: layout and hashing', () => {
  let dir = '';
  const saved = process.env.HOTLOOP_CACHE_DIR;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hotloop-data-cal-'));
    process.env.HOTLOOP_CACHE_DIR = dir;
    const cal = await calibrate({ budgetMs: 8, n: 50_000, gpu: false });
    await writeFile(calibrationPath(dir), JSON.stringify(cal));
  });
  after(async () => {
    if (saved === undefined) delete process.env.HOTLOOP_CACHE_DIR;
    else process.env.HOTLOOP_CACHE_DIR = saved;
    await rm(dir, { recursive: true, force: true });
  });

  test('--json: findings under `layout` and `hashing`', async () => {
    const r = await advise([
      'test/fixtures/advisors/layout/positive/forOfWeighted.ts',
      'test/fixtures/advisors/hashing/positive/counts.ts',
      'test/fixtures/advisors/hashing/negative/jsonRecord.ts',
      '--json',
    ]);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out) as { layout: Finding[]; hashing: Finding[] };
    assert.deepEqual(
      json.layout.map((f) => [f.kind, f.line, f.verdict.kind]),
      [['objects-to-columns', 17, 'rewrite']],
    );
    assert.deepEqual(json.hashing.map((f) => [f.kind, f.line, f.verdict.kind]).sort(), [
      ['object-as-map', 3, 'left-alone'],
      ['object-as-map', 5, 'rewrite'],
    ]);
  });

  test('text: the rewrite with its assumption; a look-alike with its reason', async () => {
    const r = await advise([
      'test/fixtures/advisors/layout/positive/matrixRows.ts',
      'test/fixtures/advisors/layout/negative/notHot.ts',
    ]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /matrixRows\.ts:8 {2}layout rows-to-flat of m in power {2}.*one flat Float64Array/);
    assert.match(
      r.out,
      /\n {2}✓ layout {3}VS Code: the light bulb on the loop applies it\n {4}assumes .*same length/,
    );
    assert.match(
      r.out,
      /notHot\.ts:10 {2}layout objects-to-columns of points in weightedMean {2}left as is: not hot enough/,
    );
  });

  test('an IO-bound loop gets no layout or hashing block', async () => {
    const fixture = 'test/fixtures/advisors/io/mixed.ts';
    const r = await advise([fixture, '--json']);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out) as { io: Finding[]; layout: Finding[]; hashing: Finding[] };
    assert.equal(json.io.length, 1);
    assert.deepEqual([...json.layout, ...json.hashing], []);
  });
});
