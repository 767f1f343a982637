// The parent side of one variant's child process: spawn (argument array, never a shell string,
// `--expose-gc`), request/response over IPC with a timeout, and a kill that never leaves it behind.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from '../logger.js';
import { killGroup, killTagged, RUN_TAG_VAR } from '../process/group.js';
import type { FromChild, ToChild } from './protocol.js';

/** The child program: the bundled `benchChild.js` next to this bundle, else the TS source via tsx. */
function childEntry(): { file: string; execArgv: string[] } {
  const bundled = join(__dirname, 'benchChild.js');
  if (existsSync(bundled)) return { file: bundled, execArgv: [] };
  const source = join(__dirname, 'childMain.ts');
  if (existsSync(source)) return { file: source, execArgv: tsxImport() };
  throw new Error(
    `benchmark child program not found next to ${__dirname} (expected benchChild.js); rebuild with \`node esbuild.mjs\``,
  );
}

/** `--import <tsx>` so `.ts` variant modules load; empty when tsx is not installed. */
function tsxImport(): string[] {
  try {
    const pkg = require.resolve('tsx/package.json', { paths: [process.cwd(), __dirname] });
    return ['--import', pathToFileURL(join(dirname(pkg), 'dist', 'loader.mjs')).href];
  } catch {
    return [];
  }
}

/** Why a run stopped, from its signal: the time limit or a cancellation. */
export function abortMessage(signal: AbortSignal): string {
  return signal.reason instanceof Error && signal.reason.name === 'TimeoutError'
    ? 'benchmark time limit reached'
    : 'benchmark cancelled';
}

/** The whole run stopped (its time limit, or a cancellation): not the failure of the variant asked. */
export class BenchStopped extends Error {
  constructor(readonly why: 'time limit' | 'cancelled') {
    super(why === 'time limit' ? 'benchmark time limit reached' : 'benchmark cancelled');
    this.name = 'BenchStopped';
  }
}

/** The BenchStopped error of an aborted run's signal. */
export function stopped(signal: AbortSignal): BenchStopped {
  return new BenchStopped(abortMessage(signal) === 'benchmark cancelled' ? 'cancelled' : 'time limit');
}

const seconds = (ms: number): string =>
  ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;

type Request = ToChild extends infer T ? (T extends { id: number } ? Omit<T, 'id'> : never) : never;

export class VariantChild {
  private readonly proc: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (m: FromChild) => void; reject: (e: Error) => void }
  >();
  private exited: string | undefined;
  private stderr = '';
  /** Marks the child and whatever a variant starts (see core/process/group.ts), so kill() ends them all. */
  private readonly tag = randomBytes(8).toString('hex');
  /** Resolves when the child program is up (or gone): a request's time limit counts from then, not from the fork. */
  private readonly ready: Promise<void>;
  private markReady: () => void = () => undefined;

  constructor(
    readonly label: string,
    needsTs: boolean,
    private readonly log: Logger,
  ) {
    this.ready = new Promise((r) => {
      this.markReady = r;
    });
    const entry = childEntry();
    const execArgv = ['--expose-gc', ...entry.execArgv];
    if (needsTs && !execArgv.includes('--import')) execArgv.push(...tsxImport());
    this.proc = fork(entry.file, [], {
      execArgv,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
      detached: true,
      env: { ...process.env, [RUN_TAG_VAR]: this.tag },
    });
    this.proc.stderr?.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    this.proc.on('message', (raw) => {
      const msg = raw as FromChild;
      if (msg.t === 'ready') {
        this.markReady();
        return;
      }
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      p.resolve(msg);
    });
    this.proc.on('exit', (code, signal) => {
      this.exited = `exited (${signal ?? `code ${code}`})${this.stderr ? `: ${this.stderr.trim()}` : ''}`;
      for (const p of this.pending.values()) p.reject(new Error(`${label}: child ${this.exited}`));
      this.pending.clear();
      this.markReady();
    });
    this.proc.on('error', (err) => {
      this.log.warn(`bench: child of ${label}: ${err.message}`);
    });
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  /**
   * Sends a request and waits for its answer; rejects on child error, exit, timeout or abort (a
   * BenchStopped). `timeoutMs` undefined: no limit of its own (the signal bounds it).
   */
  request<T extends FromChild['t']>(
    req: Request,
    expect: T,
    timeoutMs: number | undefined,
    signal: AbortSignal,
  ): Promise<Extract<FromChild, { t: T }>> {
    if (this.exited) return Promise.reject(new Error(`${this.label}: child ${this.exited}`));
    if (signal.aborted) return Promise.reject(stopped(signal));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const cleanup = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.pending.delete(id);
      };
      const onAbort = (): void => {
        cleanup();
        this.kill();
        reject(stopped(signal));
      };
      void this.ready.then(() => {
        if (!this.pending.has(id) || timeoutMs === undefined) return;
        timer = setTimeout(() => {
          cleanup();
          this.kill();
          reject(
            new Error(
              `${this.label}: no answer to '${req.t}' within ${seconds(timeoutMs)}; the child and its processes were killed`,
            ),
          );
        }, timeoutMs);
      });
      signal.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        resolve: (msg) => {
          cleanup();
          if (msg.t === 'error') reject(new Error(`${this.label}: ${msg.message}`));
          else if (msg.t !== expect) reject(new Error(`${this.label}: expected '${expect}', got '${msg.t}'`));
          else resolve(msg as Extract<FromChild, { t: T }>);
        },
        reject: (e) => {
          cleanup();
          reject(e);
        },
      });
      this.proc.send({ ...req, id });
    });
  }

  /**
   * Kills the child (SIGKILL: a busy loop would ignore anything gentler) and every process a variant
   * started: its group and anything tagged (a `setsid` daemon included).
   */
  kill(): void {
    if (!this.exited && this.proc.exitCode === null && this.proc.signalCode === null)
      this.proc.kill('SIGKILL');
    if (this.proc.pid !== undefined) killGroup(this.proc.pid, 'SIGKILL');
    killTagged(this.tag, 'SIGKILL');
  }

  /** Resolves once the child has exited (after kill()). */
  closed(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) =>
      this.proc.once('exit', () => {
        resolve();
      }),
    );
  }
}
