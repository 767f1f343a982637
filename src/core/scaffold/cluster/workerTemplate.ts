// The cluster target's worker entry (`worker.ts` of the scaffold): a BullMQ Worker that runs each
// shard with the folder's wasm build (the wasm target's runtime) and stores the shard's partials and
// changed elements in Redis under the shard's own key (a retry overwrites it: never counted twice).

/** `worker.ts` of a cluster scaffold. */
export const CLUSTER_WORKER_TS = `import { appendFileSync } from 'node:fs';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { buildId, KEY_TTL_S, queueName, redisUrl } from './cluster.js';
import { WasmRuntime, type DType, type Typed } from './runtime.js';
import { KERNEL, LOOPS } from './specs.js';

// A worker never falls back to JavaScript: a shard that cannot run on the wasm build fails, with the reason.
process.env.HOTLOOP_STRICT = '1';

interface ShardData {
  readonly job: string;
  readonly loop: string;
  readonly shard: number;
  readonly build: string;
  readonly out: string;
  readonly cancel: string;
  readonly inputs: readonly string[];
  readonly from: number;
  readonly to: number;
  readonly scalars: readonly number[];
}

const CTOR = {
  f64: Float64Array, f32: Float32Array, i32: Int32Array, u32: Uint32Array, i16: Int16Array,
  u16: Uint16Array, i8: Int8Array, u8: Uint8Array, u8c: Uint8ClampedArray,
} as const;

const runtime = new WasmRuntime(KERNEL);
const mine = buildId();
const redis = new Redis(redisUrl(), { maxRetriesPerRequest: null });
redis.on('error', () => undefined); // reconnects; a shard that fails meanwhile is retried by BullMQ
/** Inputs of recent jobs (every shard of a job reads the same arrays): key → aligned copy. */
const cache = new Map<string, Typed>();

/** One line per event to HOTLOOP_CLUSTER_LOG (fault drills and benchmarks read it). */
function log(event: string, d: ShardData): void {
  const file = process.env.HOTLOOP_CLUSTER_LOG;
  if (file) appendFileSync(file, JSON.stringify({ event, pid: process.pid, job: d.job, loop: d.loop, shard: d.shard, t: Date.now() }) + '\\n');
}

async function input(key: string, dtype: DType): Promise<Typed> {
  const hit = cache.get(key);
  if (hit) return hit;
  const buf = await redis.getBuffer(key);
  if (!buf) throw new UnrecoverableError('input ' + key + ' is not in Redis (expired, or Redis restarted without persistence)');
  const ctor = CTOR[dtype];
  const copy = new ctor(new Uint8Array(buf).buffer, 0, buf.length / ctor.BYTES_PER_ELEMENT) as Typed;
  cache.set(key, copy);
  if (cache.size > 32) cache.delete(cache.keys().next().value!);
  return copy;
}

/** The changed elements of \`after\` against \`before\`: [first, last] element, or undefined. */
function changed(before: Typed, after: Typed): [number, number] | undefined {
  const size = before.BYTES_PER_ELEMENT;
  const a = new Uint8Array(before.buffer, before.byteOffset, before.byteLength);
  const b = new Uint8Array(after.buffer, after.byteOffset, after.byteLength);
  let lo = -1;
  let hi = -1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      if (lo < 0) lo = Math.floor(i / size);
      hi = Math.floor(i / size);
    }
  }
  return lo < 0 ? undefined : [lo, hi];
}

async function shard(job: Job): Promise<unknown> {
  if (job.name === 'combine') return null; // the flow's parent: every shard is done
  const d = job.data as ShardData;
  const spec = LOOPS[d.loop];
  if (!spec) throw new UnrecoverableError('wrong worker build: this worker has no loop ' + d.loop + ' (build ' + mine + ')');
  if (d.build !== mine)
    throw new UnrecoverableError('wrong worker build: this worker runs kernel.wasm ' + mine + ', the job needs ' + d.build + '; rebuild and redeploy the workers');
  if (await redis.exists(d.cancel)) throw new UnrecoverableError('cancelled');
  log('start', d);
  const delay = Number(process.env.HOTLOOP_CLUSTER_SHARD_DELAY_MS || 0);
  if (delay > 0) await new Promise((r) => setTimeout(r, delay)); // fault drills: hold the shard a while
  const inputs = await Promise.all(spec.arrays.map((a, i) => input(d.inputs[i]!, a.dtype)));
  const arrays = inputs.map((a, i) => (spec.arrays[i]!.write ? a.slice() : a));
  const partials = new Float64Array(spec.partials);
  const args = [...arrays, ...d.scalars, d.from, d.to, ...(spec.partials ? [partials] : [])];
  if (!runtime.call(d.loop, spec.args, args)) throw new UnrecoverableError('the wasm build could not run ' + d.loop);
  if (await redis.exists(d.cancel)) throw new UnrecoverableError('cancelled');
  const rec: Record<string, Buffer | string> = { done: '1', p: Buffer.from(partials.buffer) };
  arrays.forEach((a, i) => {
    if (!spec.arrays[i]!.write) return;
    const range = changed(inputs[i]!, a);
    if (!range) return;
    const part = a.subarray(range[0], range[1] + 1);
    rec['w' + i] = Buffer.from(part.buffer, part.byteOffset, part.byteLength);
    rec['o' + i] = String(range[0]);
  });
  await redis.multi().del(d.out).hset(d.out, rec).expire(d.out, KEY_TTL_S).exec();
  log('done', d);
  return { shard: d.shard };
}

const lockMs = Number(process.env.HOTLOOP_CLUSTER_LOCK_MS || 30_000);
const worker = new Worker(queueName(), shard, {
  connection: { url: redisUrl(), maxRetriesPerRequest: null },
  concurrency: Number(process.env.HOTLOOP_CLUSTER_CONCURRENCY || 1),
  lockDuration: lockMs,
  stalledInterval: Math.max(500, Math.floor(lockMs / 2)),
  maxStalledCount: 3,
});
worker.on('error', () => undefined); // connection drops: BullMQ reconnects
worker.on('ready', () => console.log('hotloop cluster worker ready: ' + KERNEL + ' build ' + mine + ' on ' + queueName()));

async function stop(): Promise<void> {
  await worker.close();
  redis.disconnect();
  process.exit(0);
}
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
`;
