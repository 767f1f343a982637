// The one process helper: every child Hotloop starts (profile targets, scaffold builds, optimize's
// tools, benchmark variants) runs in its own process group with a run tag in its environment, and is
// stopped as a whole tree: the group (negative pid) and any process that left the group — `setsid`,
// a daemon — but still carries the tag (found through /proc on Linux). Waiting for output never waits
// on a pipe that a leftover grandchild holds open.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

/** Environment variable that marks every process of one run (inherited by its descendants). */
export const RUN_TAG_VAR = 'HOTLOOP_RUN_TAG';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Signals the process group `pid` leads; ignores a group that is already gone. */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, signal);
  } catch {
    // already gone
  }
}

/** `/proc/<pid>/stat` fields after the command: [state, ppid, pgrp, …]; undefined when gone. */
function statFields(pid: string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/**
 * A zombie whose parent is PID 1 is gone for good: in a container whose PID 1 does not reap, it stays
 * in the process table forever. A zombie with a live parent is still "there" (its parent reaps it soon),
 * so waiting for a group to go waits for its parents to reap, as npm or make do on SIGTERM.
 */
const deadForGood = (f: string[]): boolean => f[0] === 'Z' && f[1] === '1';

/** True while the process exists, not counting an orphaned zombie. */
export function processAlive(pid: number): boolean {
  if (process.platform === 'linux') {
    const f = statFields(String(pid));
    return f !== undefined && !deadForGood(f);
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True while any process of the group still exists (orphaned zombies do not count on Linux). */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return true;
  const group = String(pid);
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const f = statFields(e);
    if (f && f[2] === group && !deadForGood(f)) return true;
  }
  return false;
}

/** Pids of the live processes whose environment carries `RUN_TAG_VAR=tag` (Linux; [] elsewhere). */
export function taggedPids(tag: string): number[] {
  if (process.platform !== 'linux') return [];
  const needle = Buffer.from(`\0${RUN_TAG_VAR}=${tag}\0`);
  const first = Buffer.from(`${RUN_TAG_VAR}=${tag}\0`);
  const out: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      const env = readFileSync(`/proc/${e}/environ`);
      if (env.includes(needle) || env.subarray(0, first.length).equals(first)) out.push(Number(e));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

/** Signals every process tagged `tag`; returns how many were signalled. */
export function killTagged(tag: string, signal: NodeJS.Signals): number {
  const pids = taggedPids(tag);
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // gone
    }
  }
  return pids.length;
}

export interface GroupOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Defaults to no stdin and piped stdout/stderr. */
  readonly stdio?: StdioOptions;
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly spawnError?: string;
}

/** A started child: its process, its group and run tag, and how to end the whole tree. */
export interface GroupProcess {
  readonly child: ChildProcess;
  readonly pid: number | undefined;
  readonly tag: string;
  /** Resolves when the leader exits (or fails to start); never rejects. */
  readonly exited: Promise<Exit>;
  /** True while the group or a tagged process lives. */
  alive(): boolean;
  /** Signals the group and every tagged process. */
  signal(sig: NodeJS.Signals): void;
  /** SIGTERM, up to `graceMs` for the tree to go, then SIGKILL; resolves once it is gone (bounded). */
  stop(graceMs: number): Promise<void>;
  /** After the leader's exit: output still in the pipes (≤ 500 ms, a grandchild may hold them), then nothing of the tree outlives it. */
  settle(): Promise<void>;
}

/** Starts `cmd` (argument array, never a shell) in its own process group with a fresh run tag. */
export function spawnGroup(cmd: string, args: readonly string[], o: GroupOptions): GroupProcess {
  const tag = randomBytes(8).toString('hex');
  const child = spawn(cmd, [...args], {
    cwd: o.cwd,
    env: { ...(o.env ?? process.env), [RUN_TAG_VAR]: tag },
    detached: true,
    stdio: o.stdio ?? ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  const closed = new Promise<void>((r) =>
    child.once('close', () => {
      r();
    }),
  );
  const exited = new Promise<Exit>((resolve) => {
    child.once('error', (err) => {
      resolve({ code: null, signal: null, spawnError: err.message });
    });
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
    });
  });
  const pid = child.pid;
  const alive = (): boolean => (pid !== undefined && groupAlive(pid)) || taggedPids(tag).length > 0;
  const signal = (sig: NodeJS.Signals): void => {
    if (pid !== undefined) killGroup(pid, sig);
    killTagged(tag, sig);
  };
  const waitGone = async (ms: number): Promise<void> => {
    const until = performance.now() + ms;
    while (alive() && performance.now() < until) await sleep(25);
  };
  const stop = async (graceMs: number): Promise<void> => {
    signal('SIGTERM');
    await waitGone(graceMs);
    signal('SIGKILL');
    await waitGone(1000);
  };
  const settle = async (): Promise<void> => {
    let t: NodeJS.Timeout | undefined;
    await Promise.race([
      closed,
      new Promise((r) => {
        t = setTimeout(r, 500);
      }),
    ]);
    clearTimeout(t);
    if (alive()) {
      signal('SIGKILL');
      await waitGone(1000);
    }
    // A grandchild may still hold our ends of the pipes: stop reading them.
    child.stdout?.destroy();
    child.stderr?.destroy();
  };
  return { child, pid, tag, exited, alive, signal, stop, settle };
}
