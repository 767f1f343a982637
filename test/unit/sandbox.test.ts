// The build sandbox (Linux + bubblewrap, installed by `npm test`): a step writes only in the folders it
// is given and its private temp folder; nothing it starts outlives it; off by HOTLOOP_SANDBOX=off.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processAlive } from '../../src/core/process/group.js';
import { sandboxOffReason } from '../../src/core/process/sandbox.js';
import { runStep } from '../../src/core/scaffold/build/runStep.js';

const off = sandboxOffReason();

describe('build sandbox', { skip: process.platform !== 'linux' ? 'Linux only' : false }, () => {
  test('is on here (npm test installs bubblewrap), and HOTLOOP_SANDBOX=off turns it off', () => {
    assert.equal(off, undefined, off);
    assert.equal(sandboxOffReason({ ...process.env, HOTLOOP_SANDBOX: 'off' }), 'HOTLOOP_SANDBOX=off');
  });

  test('writes land in the step folder and TMPDIR only; a daemon that cleared its env is gone after', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hotloop-sandbox-'));
    const inside = join(root, 'ws');
    const outside = join(root, 'outside');
    mkdirSync(inside);
    mkdirSync(outside);
    try {
      const script = [
        'echo in > in.txt',
        `echo out > ${JSON.stringify(join(outside, 'out.txt'))} || echo refused-outside`,
        'echo t > "$TMPDIR/t.txt" && echo tmp-ok',
        `setsid env -i PATH="$PATH" node -e "require('fs').writeFileSync('daemon.pid', require('fs').readlinkSync('/proc/self')); setInterval(() => {}, 1000)" >/dev/null 2>&1 </dev/null &`,
        'until [ -s daemon.pid ]; do sleep 0.05; done',
      ].join('\n');
      const out = await runStep({
        cmd: 'sh',
        args: ['-c', script],
        cwd: inside,
        env: process.env,
        deadline: performance.now() + 60_000,
        sandbox: { writable: [inside] },
      });
      assert.equal(out.code, 0, out.tail);
      assert.match(out.output, /refused-outside/);
      assert.match(out.output, /tmp-ok/);
      assert.equal(readFileSync(join(inside, 'in.txt'), 'utf8'), 'in\n');
      assert.equal(existsSync(join(outside, 'out.txt')), false);
      const daemon = Number(readFileSync(join(inside, 'daemon.pid'), 'utf8'));
      assert.ok(daemon > 0);
      for (let i = 0; i < 100 && processAlive(daemon); i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal(processAlive(daemon), false, `daemon ${daemon} outlived the step`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
