// What a profiled run left behind, read for the result: the thread profiles worth attributing, the
// run's outcome (exit, timeout, cancel, with a message) and the child processes it started.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Logger } from '../logger.js';
import type { ThreadProfile } from './attribute.js';
import { parseCpuProfile } from './cpuprofile.js';
import type { RunResult } from './runner.js';
import { PRELOAD_FILE, WATCHDOG_FILE } from './runtimeFiles.js';
import type { ChildProcessInfo, RunOutcome } from './types.js';

export const ownUrl = (url: string): boolean => url.endsWith(PRELOAD_FILE) || url.endsWith(WATCHDOG_FILE);

/** Profiles of the run worth attributing: not the watchdog thread, not the npm/npx launcher. */
export function loadThreads(run: RunResult, logger: Logger): ThreadProfile[] {
  const launchers = new Set(
    run.processes
      .filter(
        (p) =>
          p.type === 'process' && p.argv?.some((a) => /(?:npm|npx)-cli\.js$|[\\/]bin[\\/]np[mx]$/.test(a)),
      )
      .map((p) => p.pid),
  );
  const watchdogs = new Set(
    run.processes.filter((p) => p.type === 'watchdog').map((p) => `${p.pid}.${p.threadId}`),
  );
  const out: ThreadProfile[] = [];
  // Threads that ran nothing but Node internals and Hotloop's preload. Dropped beside real ones; but a
  // run whose every sample fell there (a short test run) still wrote a profile: it is kept, and says so.
  const ownOnly: ThreadProfile[] = [];
  for (const f of run.profiles) {
    if (launchers.has(f.pid) || watchdogs.has(`${f.pid}.${f.threadId}`)) continue;
    try {
      const profile = parseCpuProfile(readFileSync(f.path, 'utf8'), basename(f.path));
      const urls = profile.nodes.map((n) => n.callFrame.url).filter((u) => u && !u.startsWith('node:'));
      if (urls.some(ownUrl) && urls.every((u) => ownUrl(u) || u.includes('[worker eval]'))) {
        ownOnly.push({ profile, pid: f.pid, threadId: f.threadId });
        continue;
      }
      out.push({ profile, pid: f.pid, threadId: f.threadId });
    } catch (err) {
      logger.warn(`Skipping ${basename(f.path)}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return out.length > 0 ? out : ownOnly;
}

export function outcomeOf(run: RunResult, timeoutMs: number): RunOutcome {
  const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  const tail = run.outputTail
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  // The error line of an uncaught exception says more than Node's trailer ("Node.js v20…").
  const errorLine = [...tail]
    .reverse()
    .find((l) => /^(?:Uncaught )?(?:[A-Z]\w*)?(?:Error|Exception)\b.*:/.test(l));
  const last = (errorLine ?? tail.slice(-3).join(' | ')).slice(-300);
  const messages: string[] = [];
  if (run.spawnError) messages.push(`Could not start the target: ${run.spawnError}.`);
  else if (run.timedOut)
    messages.push(
      `The target ran past the ${secs(timeoutMs)} timeout and was stopped; the profile covers what ran until then.`,
    );
  else if (run.cancelled)
    messages.push(`Cancelled after ${secs(run.wallMs)}; the profile covers what ran until then.`);
  else if (run.signal)
    messages.push(
      `The target was killed by ${run.signal}${last ? ` (last output: ${last})` : ''}; the profile covers what ran until then, where V8 could write it.`,
    );
  else if (run.exitCode !== 0)
    messages.push(
      `The target exited with code ${run.exitCode}${last ? ` (last output: ${last})` : ''}; the profile covers what ran until then.`,
    );
  if (run.outputTruncated)
    messages.push(`It printed ${(run.outputBytes / 1e6).toFixed(1)} MB; only the start went to the log.`);
  return {
    ...(run.pid !== undefined ? { pid: run.pid } : {}),
    exitCode: run.exitCode,
    signal: run.signal,
    timedOut: run.timedOut,
    cancelled: run.cancelled,
    wallMs: run.wallMs,
    outputBytes: run.outputBytes,
    outputTruncated: run.outputTruncated,
    ...(messages.length ? { message: messages.join(' ') } : {}),
  };
}

export function childrenOf(run: RunResult, threads: readonly ThreadProfile[]): ChildProcessInfo[] {
  const profiled = new Set(threads.map((t) => t.pid));
  return run.processes
    .filter((p) => p.type === 'child')
    .map((p) => ({
      ...(p.pid !== undefined ? { pid: p.pid } : {}),
      parentPid: p.parentPid ?? 0,
      command: p.command ?? '?',
      profiled: p.pid !== undefined && profiled.has(p.pid),
    }));
}
