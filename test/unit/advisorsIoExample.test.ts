// The IO advisor's example program (examples/advisors/io): applying the advisor's rewrite to
// quotes.ts keeps the program's output byte for byte, and the local service sees the rewrite keep
// several requests in flight where the original kept one.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { rewriteIoSource } from '../../src/core/advisors/io/index.js';

const root = join(import.meta.dirname, '..', '..');
const example = join(root, 'examples', 'advisors', 'io');
const run = promisify(execFile);

async function main(dir: string): Promise<{ stdout: string; inFlight: number }> {
  // 100 ms per request: long enough that the rewrite's requests overlap even on a loaded machine.
  const r = await run(process.execPath, ['--import', 'tsx', join(dir, 'main.ts'), '100', '16'], {
    cwd: root,
    timeout: 60_000,
  });
  const m = /in flight at most: (\d+)/.exec(r.stderr);
  assert.ok(m, r.stderr);
  return { stdout: r.stdout, inFlight: Number(m[1]) };
}

describe('examples/advisors/io', () => {
  test('the rewrite of quotes.ts prints the same output with more than one request in flight', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotloop-io-example-'));
    try {
      cpSync(example, dir, { recursive: true });
      writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
      const path = join(dir, 'quotes.ts');
      const r = rewriteIoSource(path, readFileSync(path, 'utf8'), { concurrency: 4 });
      assert.equal(r.rewritten, 1);
      writeFileSync(path, r.text);
      const [before, after] = [await main(example), await main(dir)];
      assert.match(before.stdout, /^16 quotes, total \d+\.\d\d$/m);
      assert.equal(after.stdout, before.stdout);
      assert.equal(before.inFlight, 1, 'the original awaits one request at a time');
      assert.ok(after.inFlight > 1 && after.inFlight <= 4, `the rewrite kept ${after.inFlight} in flight`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
