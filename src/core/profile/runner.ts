// Runs a command under the V8 CPU profiler (`--cpu-prof` on a node target's command line, so its
// workers and forks are profiled too; the preload profiles other node processes through the
// inspector) in its own process group: bounded by a timeout, cancellable by an AbortSignal, output
// streamed to the logger and capped, the whole group killed at the end. A busy node process the
// runner started is stopped through its own inspector (SIGUSR1, inspectorStop.ts), others by the
// preload's watchdog thread, so an endless loop still leaves its profile.
import { sleep, spawnGroup } from '../process/group.js';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../logger.js';
import { INSPECTOR_URL, inspectorExit } from './inspectorStop.js';
import { PROCESSES_FILE, STOP_FILE, writeRuntimeFiles } from './runtimeFiles.js';

export interface RunRequest {
  readonly command: string;
  readonly args: readonly string[];
  /** The command is node itself: the profiler flags go on its command line. */
  readonly isNode?: boolean;
  readonly cwd: string;
  /** Fresh empty directory for profiles and runtime files. */
  readonly dir: string;
  readonly intervalUs: number;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly logger: Logger;
  readonly env?: Readonly<Record<string, string>>;
  /** Turn on the shapes hooks of the preload (only for an instrumented bundle). */
  readonly shapes?: boolean;
  /** Record CPU profiles (default true); off for the shapes pass, which only counts. */
  readonly cpuProfile?: boolean;
  /** Bytes of target output forwarded to the logger before the rest is dropped (default 256 KiB). */
  readonly outputCapBytes?: number;
  /** Grace after asking the target to stop before the process group gets SIGKILL (default 3000 ms). */
  readonly graceMs?: number;
  /** Runs the command under this program and arguments (the overhead bench: `/usr/bin/time -o …`). */
  readonly launcher?: readonly string[];
}

export interface ProfileFile {
  readonly path: string;
  readonly pid: number;
  readonly threadId: number;
}

export interface ProcessRecord {
  readonly type: 'process' | 'child' | 'watchdog';
  readonly threadId?: number;
  readonly pid?: number;
  readonly ppid?: number;
  readonly parentPid?: number;
  readonly argv?: readonly string[];
  readonly command?: string;
  /** Started by the runner with --inspect-port=0: stopped through its inspector, no watchdog thread. */
  readonly inspectorStop?: boolean;
}

export interface RunResult {
  readonly pid: number | undefined;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly cancelled: boolean;
  readonly wallMs: number;
  readonly outputBytes: number;
  readonly outputTruncated: boolean;
  /** Last few KiB of output (stderr and stdout interleaved), for error messages. */
  readonly outputTail: string;
  readonly profiles: readonly ProfileFile[];
  readonly processes: readonly ProcessRecord[];
  readonly spawnError?: string;
}

/** The exit code of a target the runner stopped (timeout's). */
const STOP_EXIT_CODE = 124;

const PROFILE_NAME = /^CPU\.\d+\.\d+\.(\d+)\.(\d+)\.\d+\.cpuprofile$/;

/** Quote a path for NODE_OPTIONS (which understands double quotes). */
function quote(p: string): string {
  return /[\s"\\]/.test(p) ? `"${p.replace(/(["\\])/g, '\\$1')}"` : p;
}

/** True while the process exists (a zombie counts as gone only once reaped). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    /* gone */
  }
}

/** The processes.jsonl records the preloads wrote. */
function readProcesses(dir: string): ProcessRecord[] {
  const processes: ProcessRecord[] = [];
  const procFile = join(dir, PROCESSES_FILE);
  if (!existsSync(procFile)) return processes;
  for (const line of readFileSync(procFile, 'utf8').split('\n')) {
    if (!line) continue;
    try {
      processes.push(JSON.parse(line) as ProcessRecord);
    } catch {
      /* a line cut by a kill */
    }
  }
  return processes;
}

/** Runs the request to its end (exit, timeout or cancel) and collects the profiles written. */
export async function runProfiled(req: RunRequest): Promise<RunResult> {
  const preload = writeRuntimeFiles(req.dir);
  const cap = req.outputCapBytes ?? 256 * 1024;
  const graceMs = req.graceMs ?? 3000;
  const interval = Math.max(1, Math.round(req.intervalUs));
  // NODE_OPTIONS may not carry --cpu-prof: a node target gets it on its command line (its workers and
  // forks inherit it); every other node process loads the preload, which profiles through the inspector.
  const nodeOptions = [process.env.NODE_OPTIONS ?? '', `--require=${quote(preload)}`].join(' ').trim();
  const profiling = req.cpuProfile ?? true;
  // --inspect-port=0: no inspector now; when the stop comes, SIGUSR1 opens one on a free port.
  const nodeFlags = [
    '--inspect-port=0',
    ...(profiling ? ['--cpu-prof', `--cpu-prof-dir=${req.dir}`, `--cpu-prof-interval=${interval}`] : []),
  ];
  const args = req.isNode ? [...nodeFlags, ...req.args] : [...req.args];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...req.env,
    NODE_OPTIONS: nodeOptions,
    HOTLOOP_PROFILE_DIR: req.dir,
    HOTLOOP_SHAPES: req.shapes ? '1' : '0',
    HOTLOOP_PROFILE_INTERVAL: String(interval),
    HOTLOOP_CPU_PROFILE: profiling ? '1' : '0',
  };
  const started = performance.now();
  let outputBytes = 0;
  let forwarded = 0;
  let tail = '';
  let timedOut = false;
  let cancelled = false;
  // Inspector URLs the target's node processes print once SIGUSR1 opened their inspector.
  const inspectorUrls: string[] = [];
  let stderrCarry = '';
  const onData = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    outputBytes += chunk.length;
    const text = chunk.toString('utf8');
    if (stream === 'stderr') {
      stderrCarry = (stderrCarry + text).slice(-2048);
      let m: RegExpExecArray | null;
      const all = new RegExp(INSPECTOR_URL.source, 'g');
      while ((m = all.exec(stderrCarry))) if (!inspectorUrls.includes(m[1]!)) inspectorUrls.push(m[1]!);
    }
    tail = (tail + text).slice(-4096);
    if (forwarded >= cap) return;
    const room = cap - forwarded;
    const part = text.length > room ? text.slice(0, room) : text;
    forwarded += part.length;
    for (const line of part.split('\n')) if (line) req.logger.trace(`[target ${stream}] ${line}`);
    if (forwarded >= cap)
      req.logger.warn(`Target output passed ${cap} bytes; the rest is not logged (still counted).`);
  };

  const [program, ...argv] = req.launcher?.length
    ? [...req.launcher, req.command, ...args]
    : [req.command, ...args];
  const proc = spawnGroup(program!, argv, { cwd: req.cwd, env });
  proc.child.stdout?.on('data', onData('stdout'));
  proc.child.stderr?.on('data', onData('stderr'));
  const pid = proc.pid;

  // Processes that ran process.exit(STOP_EXIT_CODE) through the inspector to its end (profile written)
  // and then hung in node's wait for the session to disconnect: ended by the runner, they exited 124.
  const endedAtExit = new Set<number>();
  const endAtExit = (target: number): void => {
    setTimeout(() => {
      if (!processAlive(target)) return;
      req.logger.info(
        `Process ${target} ran process.exit(${STOP_EXIT_CODE}) and wrote its profile, then waited for the inspector session to disconnect; ending it.`,
      );
      endedAtExit.add(target);
      signalProcess(target, 'SIGKILL');
    }, 300);
  };

  const stopGroup = async (): Promise<void> => {
    if (pid === undefined) return;
    // 1. Ask nicely: SIGTERM exits a process whose event loop turns; the watchdogs (node processes
    //    the runner did not start) make theirs exit even mid-loop.
    writeFileSync(join(req.dir, STOP_FILE), '');
    proc.signal('SIGTERM');
    const deadline = performance.now() + graceMs;
    const waitGroup = async (until: number): Promise<void> => {
      while (proc.alive() && performance.now() < until) await sleep(50);
    };
    await waitGroup(Math.min(deadline, performance.now() + 300));
    // 2. Node processes still busy that the runner started: open their inspector (SIGUSR1) and ask
    //    them to exit through it, which interrupts running JavaScript, so V8 writes their profile.
    const busy = readProcesses(req.dir).filter(
      (p) => p.type === 'process' && p.inspectorStop && p.pid !== undefined && processAlive(p.pid),
    );
    if (busy.length > 0 && proc.alive()) {
      for (const p of busy) signalProcess(p.pid!, 'SIGUSR1');
      // Until the grace ends: on a loaded machine the inspector can take seconds to open, and an ask
      // that failed (handshake cut short) is asked again.
      const asked = new Set<string>();
      while (proc.alive() && performance.now() < deadline) {
        for (const url of inspectorUrls) {
          if (asked.has(url)) continue;
          asked.add(url);
          void inspectorExit(url, STOP_EXIT_CODE).then((r) => {
            if (!r.sent) asked.delete(url);
            else if (r.waitingForDisconnect && r.pid !== undefined) endAtExit(r.pid);
          });
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    }
    await waitGroup(deadline);
    // 3. Whatever is left (a non-node child, a stuck process, a daemon that left the group) is killed.
    proc.signal('SIGKILL');
  };

  let stopping: Promise<void> | undefined;
  const stop = (why: 'timeout' | 'cancel'): void => {
    if (stopping) return;
    if (why === 'timeout') timedOut = true;
    else cancelled = true;
    req.logger.info(
      why === 'timeout'
        ? `Target ran past ${req.timeoutMs} ms; stopping it.`
        : 'Profiling cancelled; stopping the target.',
    );
    stopping = stopGroup();
  };
  const timer = setTimeout(() => {
    stop('timeout');
  }, req.timeoutMs);
  const onAbort = (): void => {
    stop('cancel');
  };
  if (req.signal?.aborted) onAbort();
  req.signal?.addEventListener('abort', onAbort, { once: true });

  const exited = await proc.exited;
  const { spawnError } = exited;
  const atExit = pid !== undefined && endedAtExit.has(pid) && exited.signal === 'SIGKILL';
  const exitCode = atExit ? STOP_EXIT_CODE : exited.code;
  const signal = atExit ? null : exited.signal;
  clearTimeout(timer);
  req.signal?.removeEventListener('abort', onAbort);
  // The leader is gone; make sure nothing of its group outlives the run.
  if (stopping) await stopping;
  else if (pid !== undefined && proc.alive()) {
    writeFileSync(join(req.dir, STOP_FILE), '');
    await sleep(200);
  }
  // Output still in the pipes (not waiting for a grandchild that holds them); nothing of the tree outlives the run.
  await proc.settle();
  const wallMs = performance.now() - started;

  const profiles: ProfileFile[] = [];
  for (const name of readdirSync(req.dir)) {
    const m = PROFILE_NAME.exec(name);
    if (m) profiles.push({ path: join(req.dir, name), pid: Number(m[1]), threadId: Number(m[2]) });
  }
  profiles.sort((a, b) => a.pid - b.pid || a.threadId - b.threadId);
  const processes = readProcesses(req.dir);
  return {
    pid,
    exitCode,
    signal,
    timedOut,
    cancelled,
    wallMs,
    outputBytes,
    outputTruncated: outputBytes > cap,
    outputTail: tail,
    profiles,
    processes,
    ...(spawnError ? { spawnError } : {}),
  };
}
