// The profiled run's life cycle: cancel and timeout leave no process behind; crashing, non-zero,
// endless and megabytes-printing targets still give the profile of what ran, with a clear message;
// worker threads, child processes, npm scripts, ESM and plain JS.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Logger } from '../../src/core/logger.js';
import { profileTarget } from '../../src/core/profile/index.js';
import { alive, fixtureRoot, hotLine, hotLoop, liveGroupMembers } from './profileHelpers.js';

function collectingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    trace: (m) => lines.push(m),
    info: (m) => lines.push(m),
    warn: (m) => lines.push(m),
    error: (m) => lines.push(String(m)),
  };
}

describe('profiled runs', { concurrency: 2 }, () => {
  test('cancel stops an endless target, keeps its profile and leaves no process', async () => {
    const controller = new AbortController();
    let cancelledAt = 0;
    // Cancel once the target runs its loop (it prints "spinning" first).
    const logger: Logger = {
      ...collectingLogger(),
      trace: (m) => {
        if (m.includes('spinning') && !cancelledAt)
          setTimeout(() => {
            cancelledAt = Date.now();
            controller.abort();
          }, 400);
      },
    };
    const result = await profileTarget(
      { kind: 'file', file: 'endless.ts' },
      { root: fixtureRoot, signal: controller.signal, timeoutMs: 60_000, logger, graceMs: 15_000 },
    );
    assert.ok(cancelledAt > 0, 'cancelled by the test, not by the timeout');
    const outcome = result.outcome!;
    assert.equal(outcome.cancelled, true);
    // Busy in a loop, it cannot run a SIGTERM handler: the runner stopped it through its inspector
    // (SIGUSR1, then process.exit(124)); it started no watchdog thread. About 1 stop in 3 under load,
    // node then waits for ever for the (closed) session to disconnect: the runner ends it on
    // NodeRuntime.waitingForDisconnect, after its profile is written (it was a todo before, #19).
    assert.equal(outcome.exitCode, 124, `exit ${outcome.exitCode} / ${outcome.signal}`);
    assert.match(outcome.message ?? '', /Cancelled/);
    assert.equal(
      hotLoop(result, 'endless.ts')?.loopId,
      result.loops[0]?.loopId,
      'the busy loop was profiled even though it never returned',
    );
    assert.ok(outcome.pid);
    assert.deepEqual(liveGroupMembers(outcome.pid), []);
    assert.equal(alive(outcome.pid), false);
  });

  test('timeout stops a target and the children it spawned; the children are named', async () => {
    const result = await profileTarget(
      { kind: 'file', file: 'spawnsChild.ts' },
      { root: fixtureRoot, timeoutMs: 6000, graceMs: 15_000 },
    );
    const outcome = result.outcome!;
    assert.equal(outcome.timedOut, true);
    assert.match(outcome.message ?? '', /timeout/);
    const commands = result.children.map((c) => c.command);
    assert.ok(
      commands.some((c) => c.startsWith('sleep 30')),
      commands.join('; '),
    );
    assert.ok(
      commands.some((c) => c.startsWith('true')),
      commands.join('; '),
    );
    // The node child is named; it is profiled too when it got to run its preload before the stop.
    assert.ok(
      result.children.some((c) => c.command.includes('-e')),
      commands.join('; '),
    );
    for (const c of result.children)
      if (c.pid) assert.equal(alive(c.pid), false, `child ${c.pid} (${c.command}) still alive`);
    assert.deepEqual(liveGroupMembers(outcome.pid!), []);
    assert.equal(result.loops[0]?.range.start.line, hotLine('spawnsChild.ts'));
  });

  for (const [route, env, execSyncName] of [
    ['diagnostics channel + spawn_sync binding', {}, '/bin/sh -c true three'],
    ['child_process patched under --pending-deprecation', { NODE_PENDING_DEPRECATION: '1' }, 'true three'],
  ] as const) {
    test(`children started sync and async are named (${route})`, async () => {
      const logger = collectingLogger();
      const result = await profileTarget(
        { kind: 'script', file: 'namesChildren.mjs' },
        { root: fixtureRoot, env, logger },
      );
      assert.equal(result.outcome!.exitCode, 0, result.outcome!.message);
      assert.deepEqual(
        result.children.map((c) => c.command).sort(),
        ['true four', 'true one', execSyncName, 'true two'].sort(),
      );
      assert.ok(result.children.find((c) => c.command === 'true four')?.pid, 'the async child has its pid');
      assert.ok(
        logger.lines.some((l) => l.includes('children started')),
        logger.lines.join('\n'),
      );
      assert.ok(!logger.lines.some((l) => /DEP0111|DeprecationWarning/.test(l)), logger.lines.join('\n'));
    });
  }

  test('a crashing target: exit code, the error in the message, and the profile of what ran', async () => {
    const result = await profileTarget({ kind: 'file', file: 'crash.ts' }, { root: fixtureRoot });
    assert.equal(result.outcome!.exitCode, 1);
    assert.match(result.outcome!.message ?? '', /exited with code 1.*boom after/s);
    assert.equal(result.loops[0]?.range.start.line, hotLine('crash.ts'));
  });

  test('a non-zero exit is reported with the last output', async () => {
    const result = await profileTarget(
      { kind: 'file', file: 'crash.ts', args: ['exit', '7'] },
      { root: fixtureRoot },
    );
    assert.equal(result.outcome!.exitCode, 7);
    assert.match(result.outcome!.message ?? '', /exited with code 7.*giving up/s);
    assert.ok(hotLoop(result, 'crash.ts'));
  });

  test('a target printing megabytes: counted, capped in the log, still profiled', async () => {
    const logger = collectingLogger();
    const result = await profileTarget(
      { kind: 'file', file: 'noisy.ts' },
      { root: fixtureRoot, logger, outputCapBytes: 64 * 1024 },
    );
    assert.ok(result.outcome!.outputBytes > 8_000_000, `bytes ${result.outcome!.outputBytes}`);
    assert.equal(result.outcome!.outputTruncated, true);
    assert.match(result.outcome!.message ?? '', /printed \d+\.\d MB/);
    const logged = logger.lines.filter((l) => l.startsWith('[target')).join('\n').length;
    assert.ok(logged < 200 * 1024, `logged ${logged} chars`);
    assert.equal(result.outcome!.exitCode, 0);
    assert.ok(hotLoop(result, 'noisy.ts'));
  });

  test('worker_threads: the worker thread is profiled and its loop attributed, thread shown', async () => {
    const result = await profileTarget(
      { kind: 'file', file: 'worker.ts' },
      { root: fixtureRoot, env: { HOTLOOP_FIXTURE_ROUNDS: '400' } },
    );
    const loop = hotLoop(result, 'worker.ts');
    assert.ok(loop, JSON.stringify(result.loops.map((l) => l.loopId)));
    assert.equal(result.loops[0]?.loopId, loop.loopId);
    assert.ok(
      loop.threads.some((t) => t > 0),
      `threads ${loop.threads.join(',')}`,
    );
    assert.ok(result.threads.length >= 2, 'main and worker profiles');
    assert.equal(
      result.verdict.kind,
      'cpu-bound',
      'a main thread idling while its worker computes is not IO-bound',
    );
  });

  test('npm script target: profiled through the preload (inspector) in the node child of npm', async () => {
    const root = join(fixtureRoot, 'npmproj');
    const result = await profileTarget(
      { kind: 'npm', script: 'crunch' },
      { root, env: { HOTLOOP_FIXTURE_N: '8000000' } },
    );
    const summary = `${result.verdict.kind} ${result.verdict.cpuShare.toFixed(2)}; loops ${result.loops.map((l) => l.loopId).join(', ')}; threads ${JSON.stringify(result.threads)}; ${result.outcome!.message ?? ''}`;
    assert.equal(result.outcome!.exitCode, 0, summary);
    assert.equal(result.loops[0]?.file, 'crunch.js', summary);
    assert.notEqual(result.verdict.kind, 'io-bound', summary);
  });

  test('ESM with top-level await (bundled as .mjs) and a plain JS script', async () => {
    const esm = await profileTarget(
      { kind: 'file', file: 'esm.mts' },
      { root: fixtureRoot, env: { HOTLOOP_FIXTURE_ROUNDS: '200' } },
    );
    assert.equal(esm.loops[0]?.range.start.line, hotLine('esm.mts'), JSON.stringify(esm.loops.slice(0, 2)));
    const js = await profileTarget(
      { kind: 'script', file: 'plain.js' },
      { root: fixtureRoot, env: { HOTLOOP_FIXTURE_ROUNDS: '400' } },
    );
    const first = js.loops[0];
    assert.ok(first, 'a loop of plain.js');
    assert.equal(first.range.start.line, hotLine('plain.js'));
    assert.equal(first.functionName, 'histogram');
  });
});
