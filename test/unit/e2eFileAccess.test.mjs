// The e2e file-access check (test/e2e/lib/fileAccess.mjs) on hand-written strace -f -y lines: it picks
// the extension host's process tree, resolves paths against dirfds and the cwd, and flags what it must.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkTrace, parseTrace } from '../e2e/lib/fileAccess.mjs';

const TRACE = [
  '100 execve("/usr/bin/node", ["node", "server-main.js"], 0x1 /* 9 vars */) = 0',
  '100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|SIGCHLD, child_tidptr=0x7f) = 200',
  '200 execve("/usr/bin/node", ["node", "bootstrap-fork", "--type=extensionHost"], 0x2 /* 9 vars */) = 0',
  // code-server itself (not the host) may read the checkout: not judged.
  '100 openat(AT_FDCWD</repo>, "/repo/package.json", O_RDONLY) = 5</repo/package.json>',
  '200 openat(AT_FDCWD</repo>, "/ext/hotloop/dist/engine.js", O_RDONLY) = 7</ext/hotloop/dist/engine.js>',
  '200 statx(AT_FDCWD</repo>, "/tmp/node_modules/esbuild", AT_STATX_SYNC_AS_STAT, STATX_ALL, 0x1) = -1 ENOENT (No such file or directory)',
  '200 clone3({flags=CLONE_VM|CLONE_VFORK, exit_signal=SIGCHLD} => {parent_tid=[0]}, 88 <unfinished ...>',
  '200 <... clone3 resumed>) = 300',
  '300 chdir("/ws/hotloop")               = 0',
  '300 newfstatat(AT_FDCWD</ws/hotloop>, "node_modules", {st_mode=S_IFDIR|0755, ...}, 0) = 0',
  // relative to the cwd of the child: the checkout's node_modules, reached through ".."
  '300 access("../../repo/node_modules/.bin/tsc", X_OK) = -1 ENOENT (No such file or directory)',
  '300 openat(5</opt/other>, "secret", O_RDONLY) = 8</opt/other/secret>',
  '200 newfstatat(9<socket:[123]>, "", {st_mode=S_IFSOCK|0777, ...}, AT_EMPTY_PATH) = 0',
  '200 getcwd("/repo", 4096) = 6',
].join('\n');

test('parseTrace finds the extension host, its children and their absolute paths', () => {
  const { hosts, parent, events } = parseTrace(TRACE, { initialCwd: '/repo' });
  assert.deepEqual([...hosts], [200]);
  assert.equal(parent.get(300), 200);
  const paths = events.filter((e) => e.pid === 300).flatMap((e) => e.paths);
  assert.deepEqual(paths, [
    '/ws/hotloop',
    '/ws/hotloop/node_modules',
    '/repo/node_modules/.bin/tsc',
    '/opt/other/secret',
  ]);
  // A socket's fd is not a path; getcwd's string is its result.
  assert.ok(!events.some((e) => e.paths.some((p) => p.includes('socket') || p === '/repo')));
});

test('checkTrace flags forbidden lookups (even failed ones) and successful accesses outside the allowed folders', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hotloop-trace-'));
  try {
    const traceFile = join(dir, 'trace');
    writeFileSync(traceFile, TRACE);
    const r = checkTrace({
      traceFile,
      initialCwd: '/repo',
      allowed: ['/ext/hotloop', '/ws', '/usr'],
      forbidden: ['/repo'],
    });
    assert.equal(r.hosts, 1);
    assert.deepEqual(
      r.violations.map((v) => [v.path, v.ok]),
      [
        ['/repo/node_modules/.bin/tsc', false],
        ['/opt/other/secret', true],
      ],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('checkTrace sees nothing without an extension host (the driver then fails: the check would be blind)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hotloop-trace-'));
  try {
    const traceFile = join(dir, 'trace');
    writeFileSync(traceFile, TRACE.replace('--type=extensionHost', '--type=ptyHost'));
    const r = checkTrace({ traceFile, initialCwd: '/repo', allowed: [], forbidden: ['/repo'] });
    assert.equal(r.hosts, 0);
    assert.deepEqual(r.violations, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("bubblewrap's private mount namespace is not judged, but what it binds in is", () => {
  const trace = [
    '1 execve("/usr/bin/node", ["node", "--type=extensionHost"], 0x1 /* 1 vars */) = 0',
    '1 clone(child_stack=NULL, flags=SIGCHLD) = 2',
    '2 execve("/usr/bin/bwrap", ["bwrap", "--ro-bind", "/", "/"], 0x1 /* 1 vars */) = 0',
    '2 clone3({flags=CLONE_NEWNS|CLONE_NEWPID} => {parent_tid=[0]}, 88) = 3',
    '3 mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID|MS_NODEV, NULL) = 0',
    '3 mkdir("newroot", 0755)                 = 0',
    '3 pivot_root("/tmp", "oldroot")        = 0',
    '3 creat("/newroot/dev/null", 0666)      = 5</newroot/dev/null>',
    '3 mount("/oldroot/", "/newroot/", NULL, MS_RDONLY|MS_NOSUID|MS_REC|MS_BIND, NULL) = 0',
    '3 mount("/oldroot/repo/src", "/newroot/repo/src", NULL, MS_REC|MS_BIND, NULL) = 0',
    '3 execve("/usr/bin/npm", ["npm", "install"], 0x1 /* 1 vars */) = 0',
    '3 openat(AT_FDCWD</ws>, "/opt/x", O_RDONLY) = 4</opt/x>',
  ].join('\n');
  const { events } = parseTrace(trace, { initialCwd: '/ws' });
  assert.deepEqual(
    events.filter((e) => e.pid === 3).flatMap((e) => e.paths),
    ['/', '/repo/src', '/usr/bin/npm', '/opt/x'],
  );
});
