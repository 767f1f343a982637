// The cluster tests' real engine: a redis-server on a loopback port and BullMQ worker processes of a
// cluster scaffold built from examples/. Every process started here is tracked and stopped by
// `stopAll()` (and on exit), so no Redis or worker outlives the suite.
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { analyzeSource } from '../../src/core/analysis/index.js';
import { planScaffold, writeScaffold } from '../../src/core/scaffold/index.js';
import { ASC_FLAGS } from '../../src/core/scaffold/wasm/emit.js';
import type { Kernel, KernelArg } from '../../src/core/ir/types.js';

export const REPO = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const live = new Set<ChildProcess>();
const started: number[] = [];

/** Pids of every process the harness started that is still running (zombies count as gone). */
export function survivors(): number[] {
  return started.filter((pid) => {
    const stat = spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim();
    return stat !== '' && !stat.startsWith('Z');
  });
}

/** Installs Debian's redis-server when missing (idempotent, like the other test prerequisites). */
export function ensureRedis(): void {
  const apt = spawnSync('node', [join(REPO, 'scripts', 'ensure-apt.mjs'), 'redis-server'], {
    stdio: 'inherit',
  });
  assert.equal(apt.status, 0, 'redis-server could not be installed');
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => {
        ok(typeof addr === 'object' && addr ? addr.port : 0);
      });
    });
  });
}

/** Resolves when `child` prints a line matching `re` (rejects when it exits first). */
function waitFor(child: ChildProcess, re: RegExp, what: string): Promise<void> {
  return new Promise((ok, fail) => {
    let seen = '';
    const onData = (d: Buffer): void => {
      seen += d.toString();
      if (re.test(seen)) {
        child.stdout?.off('data', onData);
        ok();
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      fail(new Error(`${what} exited (${code}) before ready:\n${seen.slice(-2000)}`));
    });
  });
}

function track(child: ChildProcess): ChildProcess {
  live.add(child);
  if (child.pid) started.push(child.pid);
  child.once('exit', () => live.delete(child));
  child.stderr?.on('data', (d: Buffer) => process.stderr.write(`[${child.pid}] ${d.toString()}`));
  return child;
}

/** Stops `child` (SIGTERM, then SIGKILL after a grace period) and waits for its exit. */
export async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((ok) =>
    child.once('exit', () => {
      ok();
    }),
  );
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((c) => stop(c)));
}
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  child: ChildProcess;
  /** Stops and starts it again on the same port (and the same data folder when persistent). */
  restart(): Promise<void>;
}

/** A redis-server on a free loopback port; `persist`: append-only file with fsync always. */
export async function startRedis(persist = false): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'hotloop-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''];
  args.push('--appendonly', persist ? 'yes' : 'no', '--appendfsync', 'always');
  const launch = async (): Promise<ChildProcess> => {
    const child = track(spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] }));
    await waitFor(child, /Ready to accept connections/, 'redis-server');
    return child;
  };
  const server: RedisServer = {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    child: await launch(),
    async restart() {
      await stop(server.child);
      server.child = await launch();
    },
  };
  return server;
}

/** The kernel of `fn` in examples/src/`file`. */
export function exampleKernel(file: string, fn: string): Kernel {
  const path = join(REPO, 'examples/src', file);
  const found = analyzeSource(path, readFileSync(path, 'utf8'), {
    rootDir: join(REPO, 'examples'),
  }).loops.find((l) => l.kernel?.name === fn);
  assert.ok(found?.kernel, `no kernel ${fn} in ${file}`);
  return found.kernel;
}

/** Scaffolds `kernel` for the cluster target under a temp workspace and compiles its wasm; the folder. */
export function buildClusterScaffold(kernel: Kernel): Promise<string> {
  return buildWasmFolder(kernel, 'cluster');
}

/** Scaffolds `kernel` for `target` (cluster or wasm) under a temp workspace and compiles its wasm. */
export async function buildWasmFolder(kernel: Kernel, target: 'cluster' | 'wasm'): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'hotloop-cluster-'));
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
  const planned = await planScaffold({
    kernel,
    target,
    workspaceRoot: root,
    outputDir: 'hotloop',
    workspaceTrusted: true,
  });
  assert.ok(planned.ok, planned.ok ? '' : planned.reason);
  const written = await writeScaffold(planned.plan);
  assert.ok(written.ok);
  const dir = planned.plan.dir;
  await compileWasm(dir);
  return dir;
}

/** asc assembly/kernel.ts → dist/kernel.wasm (the folder's `npm run build` without tsc: tests run the .ts). */
export async function compileWasm(dir: string): Promise<void> {
  mkdirSync(join(dir, 'dist'), { recursive: true });
  const asc = join(REPO, 'node_modules/.bin/asc');
  await run(asc, ['assembly/kernel.ts', ...ASC_FLAGS, '-o', 'dist/kernel.wasm'], { cwd: dir });
}

export interface WorkerOptions {
  readonly env?: Readonly<Record<string, string>>;
}

/** Starts a worker process of the scaffold in `dir` and waits until it is connected. */
export async function startWorker(
  dir: string,
  redis: RedisServer,
  opts: WorkerOptions = {},
): Promise<ChildProcess> {
  const child = track(
    spawn(process.execPath, ['--import', 'tsx', 'worker.ts'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        HOTLOOP_REDIS_URL: redis.url,
        HOTLOOP_CLUSTER_LOCK_MS: '2000',
        ...opts.env,
      },
    }),
  );
  await waitFor(child, /hotloop cluster worker ready/, 'worker');
  child.stdout?.resume();
  return child;
}

/** One event a worker logged to HOTLOOP_CLUSTER_LOG. */
export interface ShardEvent {
  readonly event: 'start' | 'done';
  readonly pid: number;
  readonly job: string;
  readonly loop: string;
  readonly shard: number;
  readonly t: number;
}

export function readEvents(file: string): ShardEvent[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as ShardEvent);
}

/** Resolves once `pred` holds on the events (checked every 20 ms). */
export async function until(file: string, pred: (e: readonly ShardEvent[]) => boolean): Promise<void> {
  while (!pred(readEvents(file))) await new Promise((r) => setTimeout(r, 20));
}

type Fn = (...args: unknown[]) => unknown;
export interface Module {
  readonly withOptions: (
    opts: {
      shards?: number;
      signal?: AbortSignal;
      timeoutMs?: number;
      onProgress?: (p: { loop: string; done: number; total: number }) => void;
    },
    ...args: KernelArg[]
  ) => Promise<unknown>;
  readonly original: Fn;
  readonly close: () => Promise<void>;
}

/** The scaffold's producer (`<name>With`, `close<Name>Cluster`) and its original, loaded through tsx. */
export async function load(dir: string, name: string): Promise<Module> {
  const idx = (await import(join(dir, 'index.ts'))) as Record<string, unknown>;
  const orig = (await import(join(dir, 'original.ts'))) as Record<string, unknown>;
  const cap = `${name[0]!.toUpperCase()}${name.slice(1)}`;
  return {
    withOptions: idx[`${name}With`] as Module['withOptions'],
    original: orig[name] as Fn,
    close: idx[`close${cap}Cluster`] as () => Promise<void>,
  };
}
