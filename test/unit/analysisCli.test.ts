// `hotloop analyze`: table and JSON output, exit codes 0 / 1 / 2, clear messages.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { analyzeCommand } from '../../src/cli/analyze.js';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const code = await analyzeCommand.run(args, { signal: new AbortController().signal, stdout, stderr });
  return { code, out, err };
}

describe('hotloop analyze', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hotloop-cli-'));
  const file = join(dir, 'stats.ts');
  writeFileSync(
    file,
    `export function sum(xs: Float64Array): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s;
}
export function load(lines: string[]): number {
  let t = 0;
  for (const l of lines) t += Number.parseFloat(l);
  return t;
}
`,
  );
  writeFileSync(join(dir, 'notes.txt'), 'hello');

  test('prints a table with location, function, verdict and arrays', async () => {
    const r = await run([dir]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /stats\.ts:3 +sum +for +reduce · translatable \(order-sensitive\) +xs: Float64Array/);
    assert.match(r.out, /stats\.ts:8 +load +for-of +not translatable \(string-work\)/);
    assert.match(r.out, /2 loop\(s\) in 1 file\(s\): 1 translatable, 1 not\./);
  });

  test('--json prints the versioned schema', async () => {
    const r = await run([file, '--json']);
    assert.equal(r.code, 0, r.err);
    const parsed = JSON.parse(r.out) as { schema: number; files: { loops: { id: string }[] }[] };
    assert.equal(parsed.schema, 1);
    assert.equal(parsed.files[0]!.loops.length, 2);
    assert.match(parsed.files[0]!.loops[0]!.id, /stats\.ts#sum\/0$/);
  });

  test('bad usage exits 2; unreadable or non-TS input exits 1 with a clear message', async () => {
    assert.equal((await run([])).code, 2);
    const unknown = await run([dir, '--fast']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /unknown option '--fast'/);
    const missing = await run([join(dir, 'missing.ts')]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /cannot read .*missing\.ts: no such file or folder/);
    const text = await run([join(dir, 'notes.txt')]);
    assert.equal(text.code, 1);
    assert.match(text.err, /notes\.txt is not a TypeScript or JavaScript file/);
    assert.equal((await run(['--help'])).code, 0);
  });
});
