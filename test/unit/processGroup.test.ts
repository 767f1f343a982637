// The one process helper: a run's whole tree ends with it — its group, a daemon that left the group
// through setsid, a grandchild that holds the output pipes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { processAlive as alive, spawnGroup, taggedPids } from '../../src/core/process/group.js';

const node = process.execPath;

/** Waits (bounded) until `pid` is gone: a SIGKILL is delivered asynchronously, and a loaded machine can take a moment. */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 400 && alive(pid); i++) await new Promise((r) => setTimeout(r, 25));
  return !alive(pid);
}

/** A leader that starts a grandchild (`detached`: a new session, like setsid), prints its pid, exits. */
const daemonLeader = (stdio: string): string => `
const { spawn } = require('node:child_process');
const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: ${stdio} });
console.log(String(c.pid));
c.unref();
setTimeout(() => process.exit(0), 100);`;

async function pidFrom(p: ReturnType<typeof spawnGroup>): Promise<number> {
  let out = '';
  p.child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  await p.exited;
  for (let i = 0; i < 500 && !/\d+\n/.test(out); i++) await new Promise((r) => setTimeout(r, 20));
  const pid = Number(/(\d+)\n/.exec(out)?.[1]);
  assert.ok(pid > 0, `the leader printed its grandchild's pid (got ${JSON.stringify(out)})`);
  return pid;
}

test(
  'a daemon that left the group (new session) is found by its run tag and killed by settle()',
  { skip: process.platform !== 'linux' && 'the run tag is read from /proc' },
  async () => {
    const p = spawnGroup(node, ['-e', daemonLeader("'ignore'")], { cwd: process.cwd() });
    const daemon = await pidFrom(p);
    assert.ok(alive(daemon), 'the daemon outlived its leader');
    assert.ok(taggedPids(p.tag).includes(daemon), 'the daemon carries the run tag');
    await p.settle();
    assert.ok(await gone(daemon), 'settle() killed the daemon');
    assert.deepEqual(taggedPids(p.tag), []);
  },
);

test(
  'a grandchild holding the output pipes does not keep settle() waiting, and is killed',
  { skip: process.platform === 'win32' && 'POSIX process groups' },
  async () => {
    const p = spawnGroup(node, ['-e', daemonLeader("['ignore', 'inherit', 'inherit']")], {
      cwd: process.cwd(),
    });
    const grandchild = await pidFrom(p);
    await p.settle();
    assert.ok(await gone(grandchild), 'settle() killed the grandchild');
    for (let i = 0; i < 400 && p.alive(); i++) await new Promise((r) => setTimeout(r, 25));
    assert.equal(p.alive(), false);
  },
);

test(
  'stop() ends a busy tree (leader and child ignoring SIGTERM) and reports the exit',
  { skip: process.platform === 'win32' && 'POSIX process groups' },
  async () => {
    const script = `
process.on('SIGTERM', () => {});
const { spawn } = require('node:child_process');
const c = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); for (;;) {}"], { stdio: 'ignore' });
console.log(String(c.pid));
for (;;) {}`;
    const p = spawnGroup(node, ['-e', script], { cwd: process.cwd() });
    let out = '';
    p.child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    for (let i = 0; i < 500 && !/\d+\n/.test(out); i++) await new Promise((r) => setTimeout(r, 20));
    const child = Number(/(\d+)\n/.exec(out)?.[1]);
    assert.ok(child > 0);
    await p.stop(300);
    const exit = await p.exited;
    assert.equal(exit.signal, 'SIGKILL');
    await p.settle();
    assert.ok(await gone(child), 'stop() killed the child');
    for (let i = 0; i < 400 && p.alive(); i++) await new Promise((r) => setTimeout(r, 25));
    assert.equal(p.alive(), false);
  },
);

test('a program that does not exist resolves exited with spawnError, never throws', async () => {
  const p = spawnGroup('/nonexistent/hotloop-no-such-program', [], { cwd: process.cwd() });
  const exit = await p.exited;
  assert.match(exit.spawnError ?? '', /ENOENT/);
  await p.settle();
});
