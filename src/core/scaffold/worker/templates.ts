// The worker target's fixed files: the pool runtime and the Piscina worker entry. They are the
// same for every kernel (the per-kernel code is in shards.ts and index.ts).

/** `runtime.ts`: the pool, SharedArrayBuffer handling and sharding. */
export const RUNTIME_TS = `import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import { fallback, findArtefact, searched } from './locate.js';

/** A typed array of any element type. */
export type Typed =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray;

/** One shard: a range of iterations of one loop and the loop's inputs (arrays are SharedArrayBuffer views). */
export interface ShardTask {
  readonly module: string;
  readonly loop: string;
  readonly from: number;
  readonly to: number;
  readonly args: Readonly<Record<string, number | Typed>>;
}

/** Fewer iterations than this per shard are not worth a task (a task costs tens of microseconds). */
let minIterationsPerShard = 4096;

/** Tunes sharding: the fewest iterations worth a shard of their own (default 4096). */
export function configureSharding(opts: { readonly minIterationsPerShard: number }): void {
  minIterationsPerShard = Math.max(1, Math.floor(opts.minIterationsPerShard));
}

/** A Float64Array on a SharedArrayBuffer: pass it to the wrapper and no copy is made. */
export function sharedFloat64Array(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT));
}

/** A Float32Array on a SharedArrayBuffer: pass it to the wrapper and no copy is made. */
export function sharedFloat32Array(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(length * Float32Array.BYTES_PER_ELEMENT));
}

/** SharedArrayBuffers of earlier calls' copies, free for reuse; \`borrowed\` are in use by a call. */
const spare: SharedArrayBuffer[] = [];
const borrowed = new Set<SharedArrayBuffer>();

function takeBuffer(bytes: number): SharedArrayBuffer {
  const k = spare.findIndex((b) => b.byteLength >= bytes && b.byteLength <= 2 * bytes + 4096);
  const buffer = k >= 0 ? spare.splice(k, 1)[0] : new SharedArrayBuffer(Math.max(8, bytes));
  borrowed.add(buffer);
  if (spare.length > 16) spare.shift();
  return buffer;
}

/** An array of rows on one SharedArrayBuffer (see \`WorkerRuntime.shareRows\`). */
export interface SharedRows<T extends Typed> {
  readonly flat: T;
  readonly offsets: Float64Array;
  readonly rows: T[];
}

/** A view per row of rows stored one after another in \`flat\` (row r is [offsets[r], offsets[r + 1])). */
export function rowViews<T extends Typed>(flat: T, offsets: Float64Array): T[] {
  const rows: T[] = [];
  for (let r = 0; r + 1 < offsets.length; r++) rows.push(flat.subarray(offsets[r]!, offsets[r + 1]!) as T);
  return rows;
}

/** One pool per copy of this module (the scaffold folder): started on first use, threads unref'd while idle. */
let pool: Piscina<ShardTask, number[]> | undefined;

function sharedPool(threads: number, worker: string): Piscina<ShardTask, number[]> {
  pool ??= new Piscina<ShardTask, number[]>({
    filename: pathToFileURL(worker).href,
    minThreads: threads,
    maxThreads: threads,
  });
  return pool;
}

/** The sharding runtime of one kernel. */
export class WorkerRuntime {
  private started: Promise<boolean> | undefined;
  private readonly threads = Math.max(1, availableParallelism());
  private readonly kernel: string;
  /** The built worker entry and shards module (found beside this file or in its dist/). */
  private files: { worker: string; shards: string } | undefined;
  private why = '';

  constructor(kernel: string) {
    this.kernel = kernel;
  }

  /** Starts the pool and loads the kernel's shards once; false when the workers cannot load (reported by \`fallback\`: a warning, or an error under HOTLOOP_STRICT=1). */
  ready(): Promise<boolean> {
    this.started ??= this.start().then(
      () => true,
      (err: unknown) => {
        this.why = 'the workers could not start: ' + (err instanceof Error ? err.message : String(err));
        return false;
      },
    );
    // Reported on every call that falls back (one warning in all; each one an error under HOTLOOP_STRICT=1).
    return this.started.then((ok) => {
      if (!ok) fallback(this.kernel, 'worker', this.why);
      return ok;
    });
  }

  private async start(): Promise<void> {
    const worker = findArtefact('worker.js');
    const shards = findArtefact('shards.js');
    if (!worker || !shards) throw new Error('worker.js/shards.js not found (looked in ' + searched('worker.js') + '); build the folder with npm run build');
    this.files = { worker, shards: pathToFileURL(shards).href };
    // An empty loop name only loads the shards module: a missing or broken build fails here, before any work.
    await sharedPool(this.threads, worker).run({ module: this.files.shards, loop: '', from: 0, to: 0, args: {} });
  }

  /**
   * Runs iterations [start, end) (step \`step\`) of \`loop\` in contiguous shards, one per thread, and
   * returns each shard's partial results in shard order (so combining them is deterministic).
   */
  async run(loop: string, start: number, end: number, step: number, args: ShardTask['args']): Promise<number[][]> {
    const files = this.files;
    if (!files) throw new Error('hotloop: run() before ready()');
    const pool = sharedPool(this.threads, files.worker);
    const iterations = end > start ? Math.ceil((end - start) / step) : 0;
    const exact = Number.isInteger(start) && Number.isInteger(step);
    const count = exact ? Math.max(1, Math.min(this.threads, Math.floor(iterations / minIterationsPerShard))) : 1;
    const tasks: Promise<number[]>[] = [];
    for (let s = 0; s < count; s++) {
      const from = start + Math.floor((iterations * s) / count) * step;
      const to = s === count - 1 ? end : start + Math.floor((iterations * (s + 1)) / count) * step;
      tasks.push(pool.run({ module: files.shards, loop, from, to, args }));
    }
    return Promise.all(tasks);
  }

  /** The array itself when it is SharedArrayBuffer-backed, else one copy on a (reused) SharedArrayBuffer. */
  share<T extends Typed>(array: T): T {
    if (array.buffer instanceof SharedArrayBuffer) return array;
    const ctor = array.constructor as new (buffer: SharedArrayBuffer, offset: number, length: number) => T;
    const copy = new ctor(takeBuffer(array.byteLength), 0, array.length);
    copy.set(array);
    return copy;
  }

  /** A \`number[]\` as a shared Float64Array copy. */
  shareNumbers(array: readonly number[]): Float64Array {
    const copy = new Float64Array(takeBuffer(array.length * 8), 0, array.length);
    copy.set(array);
    return copy;
  }

  /**
   * An array of rows (\`number[][]\` or typed rows) as ONE shared buffer of the rows one after another,
   * the rows' start offsets (one more than rows: the last is the end) and a view per row.
   */
  shareRows<T extends Typed>(
    rows: readonly ArrayLike<number>[],
    ctor: { new (buffer: SharedArrayBuffer, offset: number, length: number): T; readonly BYTES_PER_ELEMENT: number },
  ): SharedRows<T> {
    const offsets = new Float64Array(takeBuffer((rows.length + 1) * 8), 0, rows.length + 1);
    let total = 0;
    for (let r = 0; r < rows.length; r++) {
      offsets[r] = total;
      total += rows[r]!.length;
    }
    offsets[rows.length] = total;
    const flat = new ctor(takeBuffer(total * ctor.BYTES_PER_ELEMENT), 0, total);
    const views = rowViews(flat, offsets);
    for (let r = 0; r < rows.length; r++) views[r]!.set(rows[r]!);
    return { flat, offsets, rows: views };
  }

  /** Copies the shared rows back into the caller's rows. */
  copyBackRows(target: readonly (Typed | number[])[], shared: SharedRows<Typed>): void {
    for (let r = 0; r < target.length; r++) this.copyBack(target[r]!, shared.rows[r]!);
  }

  /** Hands the copies of a finished call back for reuse (fresh memory is slow to touch the first time). */
  release(...copies: Typed[]): void {
    for (const c of copies) if (c.buffer instanceof SharedArrayBuffer && borrowed.delete(c.buffer)) spare.push(c.buffer);
  }

  /** Copies a shared copy back into the caller's array (nothing to do when it was shared already). */
  copyBack(target: Typed | number[], shared: Typed): void {
    if (target === shared) return;
    if (Array.isArray(target)) {
      for (let i = 0; i < shared.length; i++) target[i] = shared[i]!;
    } else {
      target.set(shared);
    }
  }

  /** Stops the pool's threads (they also stop by themselves when idle); the next call starts a new pool. */
  async close(): Promise<void> {
    const p = pool;
    pool = undefined;
    this.started = undefined;
    await p?.close();
  }
}
`;

/** `worker.ts`: the Piscina entry; loads the shards module once per thread and runs one shard. */
export const WORKER_TS = `import type { ShardTask } from './runtime.js';

type ShardFn = (from: number, to: number, args: ShardTask['args']) => number[];

const modules = new Map<string, Promise<Record<string, ShardFn | undefined>>>();

/** Runs one shard of one loop; an empty loop name only loads the module (the pool's start-up check). */
export default async function runShard(task: ShardTask): Promise<number[]> {
  let mod = modules.get(task.module);
  if (!mod) {
    mod = import(task.module) as Promise<Record<string, ShardFn | undefined>>;
    modules.set(task.module, mod);
  }
  const shards = await mod;
  if (task.loop === '') return [];
  const fn = shards[task.loop];
  if (!fn) throw new Error('hotloop: ' + task.module + ' has no shard function ' + task.loop);
  return fn(task.from, task.to, task.args);
}
`;
