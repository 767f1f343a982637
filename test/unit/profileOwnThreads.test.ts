// Which profiles of a run are attributed: Hotloop's own threads are dropped beside the user's, but a
// run whose every sample fell in Node internals or the preload (a short test) still has a profile.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadThreads } from '../../src/core/profile/runOutcome.js';
import type { RunResult } from '../../src/core/profile/runner.js';
import { PRELOAD_FILE } from '../../src/core/profile/runtimeFiles.js';
import { nullLogger } from '../../src/core/logger.js';

const frame = (id: number, url: string, children: number[] = []): object => ({
  id,
  callFrame: { functionName: `f${id}`, scriptId: String(id), url, lineNumber: 0, columnNumber: 0 },
  hitCount: 1,
  children,
});

function cpuprofile(urls: readonly string[]): string {
  const nodes = [
    frame(
      1,
      '',
      urls.map((_, i) => i + 2),
    ),
    ...urls.map((u, i) => frame(i + 2, u)),
  ];
  return JSON.stringify({ nodes, startTime: 0, endTime: 1000, samples: [2], timeDeltas: [500] });
}

function run(dir: string, profiles: Record<string, readonly string[]>): RunResult {
  return {
    pid: 1,
    exitCode: 0,
    signal: null,
    timedOut: false,
    cancelled: false,
    wallMs: 10,
    outputBytes: 0,
    outputTruncated: false,
    outputTail: '',
    processes: [],
    profiles: Object.entries(profiles).map(([name, urls], i) => {
      const path = join(dir, `CPU.${name}.cpuprofile`);
      writeFileSync(path, cpuprofile(urls));
      return { path, pid: 100 + i, threadId: 0 };
    }),
  };
}

describe('loadThreads', () => {
  const preload = `file:///tmp/hotloop-profile-x/${PRELOAD_FILE}`;

  test("a thread that ran only the preload and Node internals is dropped beside the user's", () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotloop-own-'));
    try {
      const threads = loadThreads(
        run(dir, {
          runner: ['node:internal/test_runner/runner', preload],
          child: ['node:internal/main', preload, 'file:///w/lib/stats.js'],
        }),
        nullLogger,
      );
      assert.deepEqual(
        threads.map((t) => t.pid),
        [101],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a run whose every thread ran only the preload keeps its profiles: written, with no user sample', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotloop-own-'));
    try {
      const threads = loadThreads(
        run(dir, {
          runner: ['node:internal/test_runner/runner', preload],
          child: ['node:internal/main', preload],
        }),
        nullLogger,
      );
      assert.deepEqual(
        threads.map((t) => t.pid),
        [100, 101],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
