// Clear CLI messages for careless input (issue 19): each case says what is wrong, once, before
// anything is bundled or spawned.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { benchCommand } from '../../src/cli/bench.js';
import type { CliContext } from '../../src/cli/command.js';
import { profileCommand } from '../../src/cli/profile.js';

const root = mkdtempSync(join(tmpdir(), 'hl-cli-msg-'));
writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'x', scripts: { start: 'node -e 0' } }));
after(() => {
  rmSync(root, { recursive: true, force: true });
});

async function run(cmd: typeof benchCommand, args: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const sink = (s: string): void => {
    err += s;
  };
  const ctx = {
    signal: new AbortController().signal,
    stdout: { write: () => true },
    stderr: { write: (s: string) => (sink(s), true) },
  } as unknown as CliContext;
  try {
    return { code: await cmd.run(args, ctx), err };
  } catch (e) {
    return { code: 1, err: err + (e instanceof Error ? e.message : String(e)) };
  }
}

const once = (text: string, re: RegExp): void => {
  assert.match(text, re);
  assert.equal(text.split(re).length, 2, `said once: ${text}`);
};

test('bench --n -5 says --n must be positive (not "ambiguous")', async () => {
  const r = await run(benchCommand, ['--kernel', 'k', '--variant', 'a=x.js#f', '--n', '-5', '--no-save']);
  assert.notEqual(r.code, 0);
  once(r.err, /--n must be a positive number, got '-5'/);
});

test('profile --npm nosuchscript names the missing script and the ones there are', async () => {
  const r = await run(profileCommand, ['--root', root, '--npm', 'nosuchscript']);
  assert.equal(r.code, 1);
  once(r.err, /has no script 'nosuchscript' \(scripts: start\)/);
});

test('profile of a missing file says so (not "Could not bundle")', async () => {
  const r = await run(profileCommand, ['--root', root, 'missing.ts']);
  assert.equal(r.code, 1);
  once(r.err, /cannot run missing\.ts: no such file/);
});

test('profile --command with a missing program says it once', async () => {
  const r = await run(profileCommand, ['--root', root, '--command', 'hotloop-no-such-program-zz']);
  assert.equal(r.code, 1);
  once(r.err, /program 'hotloop-no-such-program-zz' was not found on PATH/);
});
