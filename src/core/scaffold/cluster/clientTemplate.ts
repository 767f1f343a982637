// The cluster target's producer runtime (`cluster.ts` of the scaffold): uploads a loop's arrays to
// Redis as binary strings, enqueues its shards as ONE BullMQ flow (a `combine` parent over the shard
// children), waits, and hands back the partials in shard order with the writes applied in place.

/** `cluster.ts` of a cluster scaffold. */
export const CLUSTER_TS = `import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { FlowProducer, Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { findArtefact, searched } from './locate.js';
import type { Typed } from './runtime.js';
import { KERNEL, SHARD_OPS, type LoopSpec } from './specs.js';

/** Options of one call (the plain-signature export uses the defaults). */
export interface ClusterCallOptions {
  /** Aborting removes the job's shards from Redis; no shard starts after that. */
  readonly signal?: AbortSignal;
  /** Job-level timeout (default HOTLOOP_CLUSTER_TIMEOUT_MS or 10 minutes): the job is cancelled, the call rejects. */
  readonly timeoutMs?: number;
  /** Shards per loop (default HOTLOOP_CLUSTER_SHARDS, else from the work: SHARD_OPS operations each). */
  readonly shards?: number;
  /** Shards done so far, per loop. */
  readonly onProgress?: (p: { readonly loop: string; readonly done: number; readonly total: number }) => void;
}

export type ClusterFailure = 'unreachable' | 'lost' | 'failed' | 'timeout' | 'cancelled';

/** Why a call did not return a result; never a partial result. */
export class ClusterError extends Error {
  constructor(message: string, readonly reason: ClusterFailure) {
    super('hotloop cluster (' + KERNEL + '): ' + message);
    this.name = 'ClusterError';
  }
}

export function redisUrl(): string {
  return process.env.HOTLOOP_REDIS_URL || 'redis://127.0.0.1:6379';
}
export function queueName(): string {
  return process.env.HOTLOOP_CLUSTER_QUEUE || 'hotloop-' + KERNEL;
}
/** Seconds every key of a job lives at most (inputs, results, the cancel mark). */
export const KEY_TTL_S = Number(process.env.HOTLOOP_CLUSTER_KEY_TTL_S || 3600);

/** The build every shard must run: a hash of kernel.wasm (producer and workers compute it alike). */
export function buildId(): string {
  const file = findArtefact('kernel.wasm');
  if (!file) throw new Error('kernel.wasm not found (looked in ' + searched('kernel.wasm') + '); run npm run build');
  return createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16);
}

export interface LoopCall {
  readonly start: number;
  readonly end: number;
  readonly step: number;
  readonly arrays: readonly (Typed | number[])[];
  readonly scalars: readonly number[];
}

interface Conn {
  readonly redis: Redis;
  readonly flow: FlowProducer;
  /** One Queue per queue name (HOTLOOP_CLUSTER_QUEUE is read per call). */
  readonly queues: Map<string, Queue>;
}

function queueOf(c: Conn): Queue {
  const name = queueName();
  let q = c.queues.get(name);
  if (!q) {
    c.queues.set(name, (q = new Queue(name, { connection: c.redis })));
    q.on('error', () => undefined); // connection errors: each call reports its own
  }
  return q;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const i32 = (v: number): boolean => Number.isInteger(v) && Math.abs(v) < 2 ** 31;
const bytesOf = (a: Typed): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** Producer side of one kernel's cluster: one Redis connection, reused by every call. */
export class ClusterClient {
  private conn: Promise<Conn> | undefined;
  private readonly running = new Set<string>();
  /** Set by Ctrl-C (SIGINT) while calls run: they cancel their jobs, then the signal takes its course. */
  private interrupted = false;
  private readonly onSigint = (): void => {
    this.interrupted = true;
  };

  private started(id: string): void {
    // A CLI's Ctrl-C removes the job's shards: without a handler of its own the process would die first.
    if (this.running.size === 0) process.on('SIGINT', this.onSigint);
    this.running.add(id);
  }

  private finished(id: string): void {
    this.running.delete(id);
    if (this.running.size > 0) return;
    process.off('SIGINT', this.onSigint);
    if (this.interrupted && process.listenerCount('SIGINT') === 0) process.kill(process.pid, 'SIGINT');
    this.interrupted = false;
  }

  private async connect(): Promise<Conn> {
    const url = redisUrl();
    const redis = new Redis(url, {
      lazyConnect: true,
      connectTimeout: 3000,
      maxRetriesPerRequest: 2,
      retryStrategy: (n: number) => Math.min(50 * n, 500),
    });
    redis.on('error', () => undefined); // reported per command; reconnects by retryStrategy
    try {
      await redis.connect();
      await redis.ping();
    } catch (err) {
      redis.disconnect();
      const why = err instanceof Error ? err.message : String(err);
      throw new ClusterError('cannot reach Redis at ' + url + ' (' + why + '); set HOTLOOP_REDIS_URL and start the workers (README)', 'unreachable');
    }
    const flow = new FlowProducer({ connection: redis });
    flow.on('error', () => undefined); // connection errors: each call reports its own
    return { redis, flow, queues: new Map() };
  }

  private connection(): Promise<Conn> {
    this.conn ??= this.connect().catch((err: unknown) => {
      this.conn = undefined;
      throw err;
    });
    return this.conn;
  }

  /**
   * Runs iterations [start, end) of \`spec\` as shards on the workers; the partials of each shard in
   * shard order, with the shards' writes applied to \`call.arrays\`. Undefined when the compiled loop
   * cannot take these values (non-integer bounds or sizes): the caller runs the loop itself.
   */
  async runLoop(spec: LoopSpec, call: LoopCall, opts: ClusterCallOptions = {}): Promise<Float64Array[] | undefined> {
    const { start, end, step } = call;
    if (![start, end].every(i32) || spec.scalars.some((s, i) => s.int && !i32(call.scalars[i]!))) return undefined;
    const iterations = end > start ? Math.ceil((end - start) / step) : 0;
    if (iterations === 0) return [];
    const wanted = opts.shards ?? Number(process.env.HOTLOOP_CLUSTER_SHARDS || 0);
    const auto = Math.ceil((iterations * spec.opsPerIteration) / SHARD_OPS);
    const shards = Math.max(1, Math.min(iterations, wanted > 0 ? Math.floor(wanted) : Math.min(256, auto)));
    const typed = call.arrays.map((a, i) => (Array.isArray(a) ? Float64Array.from(a) : a) as Typed);
    const c = await this.connection();
    const id = randomUUID();
    this.started(id);
    const keys = { ins: typed.map((_, i) => 'hl:' + id + ':in:' + i), cancel: 'hl:' + id + ':cancel' };
    const outs = Array.from({ length: shards }, (_, s) => 'hl:' + id + ':out:' + s);
    const originals = typed.map((a, i) => (spec.arrays[i]!.write ? Buffer.from(bytesOf(a)) : undefined));
    try {
      const up = c.redis.multi();
      typed.forEach((a, i) => up.set(keys.ins[i]!, bytesOf(a), 'EX', KEY_TTL_S));
      await up.exec();
      const build = buildId();
      const per = Math.ceil(iterations / shards);
      await c.flow.add({
        name: 'combine',
        queueName: queueName(),
        data: { job: id, loop: spec.fn, shards },
        opts: { jobId: id },
        children: outs.map((out, s) => ({
          name: spec.fn,
          queueName: queueName(),
          data: {
            job: id, loop: spec.fn, shard: s, build, out, cancel: keys.cancel, inputs: keys.ins,
            from: start + Math.min(iterations, s * per) * step,
            to: Math.min(end, start + Math.min(iterations, (s + 1) * per) * step),
            scalars: call.scalars,
          },
          opts: {
            jobId: id + '-s' + s, // idempotent: a retried shard overwrites its own result key
            attempts: Number(process.env.HOTLOOP_CLUSTER_ATTEMPTS || 4),
            backoff: { type: 'exponential', delay: 200 },
            failParentOnFailure: true,
          },
        })),
      });
      await this.wait(c, id, spec.fn, shards, opts);
      const parts = await this.collect(c, outs, typed, originals);
      typed.forEach((t, i) => {
        const a = call.arrays[i]!;
        if (Array.isArray(a) && spec.arrays[i]!.write) for (let k = 0; k < a.length; k++) a[k] = t[k]!;
      });
      await this.cleanUp(c, id, shards, [...keys.ins, ...outs, keys.cancel]);
      return parts;
    } catch (err) {
      await this.cleanUp(c, id, shards, [...keys.ins, ...outs], keys.cancel).catch(() => undefined);
      throw err;
    } finally {
      this.finished(id);
    }
  }

  /** Polls the flow's parent until it completes; throws a ClusterError otherwise. */
  private async wait(c: Conn, id: string, loop: string, total: number, opts: ClusterCallOptions): Promise<void> {
    const timeout = opts.timeoutMs ?? Number(process.env.HOTLOOP_CLUSTER_TIMEOUT_MS || 600_000);
    const downLimit = Number(process.env.HOTLOOP_CLUSTER_REDIS_DOWN_MS || 30_000);
    const t0 = Date.now();
    let lastOk = Date.now();
    let done = -1;
    for (;;) {
      if (opts.signal?.aborted || this.interrupted)
        throw new ClusterError('cancelled' + (this.interrupted ? ' (SIGINT)' : '') + '; its shards were removed', 'cancelled');
      if (Date.now() - t0 > timeout) throw new ClusterError('timed out after ' + timeout + ' ms; its shards were removed', 'timeout');
      let state: string;
      try {
        const parent = await Job.fromId(queueOf(c), id);
        state = parent ? await parent.getState() : 'unknown';
        if (parent && opts.onProgress) {
          const n = await parent.getDependenciesCount({ processed: true });
          if ((n.processed ?? 0) !== done) opts.onProgress({ loop, done: (done = n.processed ?? 0), total });
        }
        lastOk = Date.now();
      } catch (err) {
        if (Date.now() - lastOk > downLimit)
          throw new ClusterError('lost the connection to Redis for ' + downLimit + ' ms (' + String(err) + '); no result', 'lost');
        await sleep(100);
        continue;
      }
      if (state === 'completed') return;
      if (state === 'failed') throw new ClusterError(await this.failure(c, id, total), 'failed');
      if (state === 'unknown')
        throw new ClusterError('the job vanished from Redis (restarted without persistence, or evicted); no result', 'lost');
      await sleep(10);
    }
  }

  /** The first failed shard's reason, for the error message. */
  private async failure(c: Conn, id: string, total: number): Promise<string> {
    for (let s = 0; s < total; s++) {
      const child = await Job.fromId(queueOf(c), id + '-s' + s);
      if (child && (await child.getState()) === 'failed') return 'shard ' + s + ' failed: ' + child.failedReason;
    }
    return 'the job failed';
  }

  /** Each shard's partials in shard order; applies the elements each shard changed. */
  private async collect(c: Conn, outs: readonly string[], arrays: readonly Typed[], originals: readonly (Buffer | undefined)[]): Promise<Float64Array[]> {
    const parts: Float64Array[] = [];
    for (let s = 0; s < outs.length; s++) {
      const rec = await c.redis.hgetallBuffer(outs[s]!);
      if (!rec.done) throw new ClusterError('shard ' + s + ' has no result in Redis (lost); no result', 'lost');
      const p = rec.p ?? Buffer.alloc(0);
      parts.push(new Float64Array(new Uint8Array(p).buffer, 0, p.length / 8));
      arrays.forEach((a, i) => {
        const w = rec['w' + i];
        const base = originals[i];
        if (!w || !base) return;
        const size = a.BYTES_PER_ELEMENT;
        const at = Number(rec['o' + i]!.toString()) * size;
        const target = bytesOf(a);
        // Only the elements this shard changed: another shard's range may cover this one's writes.
        for (let b = 0; b < w.length; b += size) {
          if (w.compare(base, at + b, at + b + size, b, b + size) !== 0) w.copy(target, at + b, b, b + size);
        }
      });
    }
    return parts;
  }

  /** Removes the flow (parent and shards) and the given keys; a shard still running is waited for. */
  private async cleanUp(c: Conn, id: string, total: number, keys: readonly string[], cancelMark?: string): Promise<void> {
    if (cancelMark) await c.redis.set(cancelMark, '1', 'EX', Math.min(KEY_TTL_S, 600));
    for (let tries = 0; ; tries++) {
      try {
        const parent = await Job.fromId(queueOf(c), id);
        if (parent) await parent.remove({ removeChildren: true });
        for (let s = 0; s < total; s++) await (await Job.fromId(queueOf(c), id + '-s' + s))?.remove();
        break;
      } catch (err) {
        if (tries > 600) throw err; // a shard locked by a worker that is still running it
        await sleep(50);
      }
    }
    if (keys.length) await c.redis.del(...keys);
  }

  /** Closes the connection (pending calls fail). */
  async close(): Promise<void> {
    const c = await this.conn?.catch(() => undefined);
    this.conn = undefined;
    if (!c) return;
    // Disconnect first: closing BullMQ's objects must not wait on a Redis that is gone.
    c.redis.disconnect();
    const closing = Promise.allSettled([c.flow.close(), ...[...c.queues.values()].map((q) => q.close())]);
    await Promise.race([closing, sleep(1000)]);
  }
}
`;
