// The child program: one per variant. Loads the variant's module, regenerates the seeded inputs,
// answers the runner's requests (check, calibrate, sample). Timing uses tinybench (hrtime clock,
// per-sample bookkeeping); each sample is a batch of calls whose mean is reported via
// `overriddenDuration`, so sub-microsecond calls are timed above the clock's resolution.
import { pathToFileURL } from 'node:url';
import { Bench, hrtimeNow } from 'tinybench';
import { builtinModules } from './builtins.js';
import type { CheckOutput } from './compare.js';
import { flatValues, makeArgs, type BenchArg } from './inputs.js';
import { CHECK_MAX_ELEMENTS, type FromChild, type Stage, type ToChild } from './protocol.js';
import type { Variant } from './types.js';

type Fn = (...args: unknown[]) => unknown;

interface Loaded {
  readonly variant: Variant;
  readonly call: Fn;
  readonly prepare?: Fn;
  readonly compute?: Fn;
  readonly makeInputs: () => BenchArg[];
  args: BenchArg[];
  prepared: unknown[];
  async: boolean;
}

let loaded: Loaded | undefined;
/** Results go here so the optimiser cannot drop the calls. */
let sink: unknown;

function send(msg: FromChild): void {
  process.send?.(msg);
}

function pick(mod: Record<string, unknown>, name: string, file: string): Fn {
  const f = name === 'default' ? (mod.default ?? mod) : mod[name];
  if (typeof f !== 'function') {
    const have = Object.keys(mod).filter((k) => typeof mod[k] === 'function');
    throw new Error(
      `${file} has no function export '${name}' (function exports: ${have.join(', ') || 'none'})`,
    );
  }
  return f as Fn;
}

async function importModule(spec: string): Promise<Record<string, unknown>> {
  if (spec.startsWith('builtin:')) {
    const m = builtinModules[spec.slice('builtin:'.length)];
    if (!m) throw new Error(`unknown built-in module ${spec}`);
    return m;
  }
  const mod = (await import(pathToFileURL(spec).href)) as Record<string, unknown>;
  // A CommonJS module imported from ESM exposes its exports as `default`.
  const def = mod.default;
  return def && typeof def === 'object' && !(Object.keys(mod).length > 1)
    ? (def as Record<string, unknown>)
    : mod;
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as { then?: unknown }).then === 'function';
}

function toCheck(out: unknown): CheckOutput {
  if (out === undefined || out === null) return { kind: 'none' };
  if (typeof out === 'number') return { kind: 'scalar', value: out };
  if (Array.isArray(out) || ArrayBuffer.isView(out)) {
    const arr = out as ArrayLike<number>;
    const stride = Math.max(1, Math.ceil(arr.length / CHECK_MAX_ELEMENTS));
    const values: number[] = [];
    for (let i = 0; i < arr.length; i += stride) values.push(Number(arr[i]));
    return { kind: 'array', length: arr.length, stride, values };
  }
  throw new Error(`returned a ${typeof out}; the benchmark compares numbers and arrays of numbers`);
}

/** Every array argument after a call, concatenated: what a kernel that returns nothing computed. */
function effectsOf(args: readonly BenchArg[]): Float64Array | undefined {
  const arrays = args.filter((a): a is Exclude<BenchArg, number> => typeof a !== 'number');
  if (arrays.length === 0) return undefined;
  // Arrays of rows are compared element by element, rows concatenated.
  return Float64Array.from(arrays.flatMap(flatValues));
}

async function load(msg: Extract<ToChild, { t: 'load' }>): Promise<FromChild> {
  const v = msg.variant;
  const mod = await importModule(v.module);
  if (v.init) await pick(mod, v.init, v.module)();
  const raw = pick(mod, v.export, v.module);
  const order = v.argOrder;
  const call: Fn = order ? (...a: unknown[]) => raw(...order.map((i) => a[i])) : raw;
  const makeInputs = (): BenchArg[] => makeArgs(msg.args, msg.n, msg.seed, v.input);
  const args = makeInputs();
  const first = call(...args);
  const async = isThenable(first);
  if (async) await first;
  loaded = {
    variant: v,
    call,
    ...(v.stages
      ? { prepare: pick(mod, v.stages.prepare, v.module), compute: pick(mod, v.stages.compute, v.module) }
      : {}),
    makeInputs,
    args,
    prepared: [],
    async,
  };
  if (loaded.prepare) loaded.prepared = await prepareArgs(loaded);
  return { t: 'loaded', id: msg.id, async };
}

async function prepareArgs(l: Loaded): Promise<unknown[]> {
  const p = await l.prepare!(...l.args);
  if (!Array.isArray(p))
    throw new Error(
      `${l.variant.stages!.prepare} must return the array of arguments for ${l.variant.stages!.compute}`,
    );
  return p as unknown[];
}

function need(): Loaded {
  if (!loaded) throw new Error('no variant loaded');
  return loaded;
}

/** Runs `batch` calls of the stage; returns elapsed ms. */
async function runBatch(l: Loaded, stage: Stage, batch: number): Promise<number> {
  const fn = stage === 'prepare' ? l.prepare! : stage === 'compute' ? l.compute! : l.call;
  const args = stage === 'compute' ? l.prepared : l.args;
  const t0 = hrtimeNow();
  if (l.async || stage !== 'call') {
    for (let i = 0; i < batch; i++) sink = await fn(...args);
  } else {
    for (let i = 0; i < batch; i++) sink = fn(...args);
  }
  return hrtimeNow() - t0;
}

async function calibrate(msg: Extract<ToChild, { t: 'calibrate' }>): Promise<FromChild> {
  const l = need();
  const warmEnd = hrtimeNow() + msg.warmupMs;
  while (hrtimeNow() < warmEnd) await runBatch(l, msg.stage, 1);
  let batch = 1;
  for (;;) {
    let ms = await runBatch(l, msg.stage, batch);
    // A batch that seems long enough is timed twice more and the fastest counts: one preemption of
    // this process by the machine's other load would otherwise stop the growth at a batch far too
    // short (a loaded 2-core machine gave one variant 16 calls and its identical twin 165).
    for (let again = 0; again < 2 && batch > 1 && ms >= msg.sampleMs; again++)
      ms = Math.min(ms, await runBatch(l, msg.stage, batch));
    if (ms >= msg.sampleMs || batch >= 2 ** 30) break;
    // Grow towards the target in one or two steps rather than doubling from 1 every time.
    const factor = ms > 0 ? Math.min(16, Math.max(2, (msg.sampleMs / ms) * 1.1)) : 16;
    batch = Math.ceil(batch * factor);
  }
  return { t: 'calibrated', id: msg.id, batch };
}

async function sample(msg: Extract<ToChild, { t: 'sample' }>): Promise<FromChild> {
  const l = need();
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const bench = new Bench({
    iterations: msg.count,
    time: 0,
    warmup: false,
    retainSamples: true,
    now: hrtimeNow,
    throws: true,
  });
  bench.add('variant', async () => {
    const ms = await runBatch(l, msg.stage, msg.batch);
    return { overriddenDuration: ms / msg.batch, overriddenIterationCost: ms };
  });
  await bench.run();
  const result = bench.tasks[0]?.result;
  const samples = result && 'latency' in result ? result.latency.samples : undefined;
  if (!samples || samples.length === 0) throw new Error('tinybench returned no samples');
  return { t: 'samples', id: msg.id, ns: samples.map((ms) => ms * 1e6) };
}

/** ns per `Float64Array.from(number[])` of the first array argument: the marshalling reference. */
function marshal(msg: Extract<ToChild, { t: 'marshal' }>): FromChild {
  const l = need();
  const arr = l.args.find((a) => typeof a === 'object');
  if (!arr) return { t: 'samples', id: msg.id, ns: [0] };
  // An array of rows is marshalled as all its numbers (what a flat copy would convert).
  const list = typeof arr === 'number' ? [] : flatValues(arr);
  const ns: number[] = [];
  let batch = 1;
  for (let t = 0; t >= 0 && t < 4_000_000 && batch < 2 ** 20; batch *= 2) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) sink = Float64Array.from(list);
    t = Number(process.hrtime.bigint() - t0);
  }
  for (let s = 0; s < msg.count; s++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) sink = Float64Array.from(list);
    ns.push(Number(process.hrtime.bigint() - t0) / batch);
  }
  return { t: 'samples', id: msg.id, ns };
}

async function handle(msg: ToChild): Promise<FromChild> {
  switch (msg.t) {
    case 'load':
      return load(msg);
    case 'check': {
      const l = need();
      // Fresh inputs: a previous call may have written into them.
      const args = l.makeInputs();
      let magnitude = 0;
      for (const a of args) {
        if (typeof a === 'number') continue;
        const s = flatValues(a).reduce((t, x) => t + Math.abs(x), 0);
        magnitude = Math.max(magnitude, s);
      }
      const out = await l.call(...args);
      return { t: 'checked', id: msg.id, output: toCheck(out), magnitude, effects: toCheck(effectsOf(args)) };
    }
    case 'calibrate':
      return calibrate(msg);
    case 'sample':
      return sample(msg);
    case 'marshal':
      return marshal(msg);
  }
}

process.on('message', (raw) => {
  const msg = raw as ToChild;
  handle(msg).then(send, (err: unknown) => {
    send({
      t: 'error',
      id: msg.id,
      message: err instanceof Error ? (err.stack ?? err.message) : String(err),
    });
  });
});
process.on('disconnect', () => process.exit(0));
send({ t: 'ready', id: 0 });
/** Read by nothing; exported so the sink is observable and the calls cannot be optimised away. */
export const readSink = (): unknown => sink;
