// Child of bench/rewrites.ts: times a scaffold's wrapper against the original function on argument
// lists recorded from the library's own test run (bench/rewritesProbe.cjs), in interleaved rounds
// (original block, rewrite block, …) so each pair shares the machine's momentary load. Each block is
// timed in this process's CPU time (process.cpuUsage, user + system), not wall time: on a shared
// machine at load 15 wall time mostly measures the run queue. Every variant runs on this one thread
// (wasm and a native addon's sync entry both do), so CPU time is the work done. Under
// HOTLOOP_STRICT=1 a fallback inside the timed calls throws. Two assumptions about the caller's data:
// "as called" (the arrays exactly as the tests passed them: a number[] is converted on every call) and
// "data already typed" (every number[] made a Float64Array upstream; for wasm, every array allocated in
// wasm memory with the wrapper's alloc… helpers, so nothing is copied). Prints one JSON line:
// { size, calls, original: ms[], rewrite: ms[], typed: ms[], original_typed: ms[], agree, agree_typed, mode, mode_typed }.
//   node bench/rewritesTime.cjs SCAFFOLD_DIR EXPORT SAMPLES.json [ROUNDS]
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const [dir, name, samplesFile, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 21);
const fastNs = require(join(dir, 'dist', 'index.js'));
const origNs = require(join(dir, 'dist', 'original.js'));
const fast = fastNs[name];
const original = origNs[name];
if (typeof fast !== 'function' || typeof original !== 'function')
  throw new Error(`${dir}: no function ${name} in dist/index.js and dist/original.js`);

// A kernel that fills one array its function allocated (a fresh output: `var ret = []; … ret.push(…)`):
// the wrapper allocates it and returns it, original.js takes it as its last parameter. The original is
// timed as its function runs: a new array (of the wrapper's result length), then the loop. More than
// one such array: not timed against each other.
const fresh = original.length - fast.length;
if (fresh !== 0 && fresh !== 1) {
  process.stdout.write(
    JSON.stringify({
      skip: `the original takes ${original.length} parameter(s) (its fresh output arrays among them), the wrapper ${fast.length}: not timed against each other`,
    }) + '\n',
  );
  process.exit(0);
}
/** The original as its function runs, given the length and type of the array it fills (when fresh). */
const originalOf = (freshLength, Ctor) =>
  fresh === 0
    ? original
    : (...args) => {
        const out = new Ctor(freshLength);
        original(...args, out);
        return out;
      };

const num = (x) => (typeof x === 'string' ? Number(x) : x);
/** An allocator of typed arrays in wasm memory (`allocFloat64Array`…), when the wrapper has one for `ctor`. */
const wasmAlloc = (ctor) =>
  typeof fastNs[`alloc${ctor}`] === 'function' ? fastNs[`alloc${ctor}`] : undefined;
/**
 * One recorded argument. `typed`: the "data already typed" assumption (a number[] or number[] row
 * becomes a Float64Array); `inWasm`: top-level arrays allocated in wasm memory where the wrapper can.
 */
function decode(a, typed = false, inWasm = false) {
  if (a.rows) return a.rows.map((r) => decode(r, typed, false));
  if (a.values) {
    const v = a.values.map(num);
    const ctor = a.array === 'number[]' ? (typed ? 'Float64Array' : undefined) : a.array;
    if (!ctor) return v;
    const alloc = inWasm ? wasmAlloc(ctor) : undefined;
    if (!alloc) return new globalThis[ctor](v);
    const t = alloc(v.length);
    t.set(v);
    return t;
  }
  return num(a.num);
}

function close(a, b) {
  if (typeof a === 'number' && typeof b === 'number')
    return (
      Object.is(a, b) ||
      (Number.isNaN(a) && Number.isNaN(b)) ||
      Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))
    );
  if ((Array.isArray(a) || ArrayBuffer.isView(a)) && (Array.isArray(b) || ArrayBuffer.isView(b)))
    return a.length === b.length && Array.prototype.every.call(a, (x, i) => close(x, b[i]));
  return a === b || (a === undefined && b === undefined);
}

const samples = JSON.parse(readFileSync(samplesFile, 'utf8'));
// The largest shape; of its samples (calls with other scalar arguments), the one whose original call
// takes longest once warm: the most work the tests gave it.
const largest = samples.filter((s) => s.size === Math.max(...samples.map((x) => x.size)));
function heaviest(candidates) {
  if (candidates.length === 1) return candidates[0];
  const fn = fresh ? fast : original;
  // CPU microseconds a call (this process's: wall time at load measures the run queue), over
  // enough calls for ≥ 20 ms a block, so that V8's own compiler threads and the clock's grain are
  // noise; the min of three blocks. A call that throws is no workload.
  const perCall = (args, n) => {
    const t0 = process.cpuUsage();
    for (let i = 0; i < n; i++) fn(...args);
    const d = process.cpuUsage(t0);
    return (d.user + d.system) / n;
  };
  const cost = (s) => {
    const args = s.args.map((a) => decode(a));
    try {
      let n = 16;
      while (perCall(args, n) * n < 20_000 && n < 1 << 22) n *= 4;
      return Math.min(perCall(args, n), perCall(args, n), perCall(args, n));
    } catch {
      return 0;
    }
  };
  return candidates.map((s) => ({ s, us: cost(s) })).sort((a, b) => b.us - a.us)[0].s;
}
const sample = heaviest(largest);
const modeNow = () =>
  typeof fastNs.lastCallMode === 'function'
    ? fastNs.lastCallMode()
    : typeof fastNs.backend === 'function'
      ? fastNs.backend()
      : 'unknown';
const argsO = sample.args.map((a) => decode(a));
const argsF = sample.args.map((a) => decode(a));
const argsT = sample.args.map((a) => decode(a, true, true));
// The original on the typed data too (a Float64Array upstream changes the JS side's speed as well).
const argsOTyped = sample.args.map((a) => decode(a, true));
const rF = fast(...argsF);
const freshLength = fresh && (Array.isArray(rF) || ArrayBuffer.isView(rF)) ? rF.length : 0;
if (fresh && !(Array.isArray(rF) || ArrayBuffer.isView(rF))) {
  process.stdout.write(
    JSON.stringify({ skip: 'the wrapper of a fresh output array returned no array' }) + '\n',
  );
  process.exit(0);
}
// A plain array the wrapper returns stands for original.js's Float64Array (what its loop fills).
const originalCall = originalOf(freshLength, ArrayBuffer.isView(rF) ? rF.constructor : Float64Array);
const rO = originalCall(...argsO);
const mode = modeNow();
const rT = fast(...argsT);
const modeTyped = modeNow();
const agree = close(rO, rF) && argsO.every((a, i) => close(a, argsF[i]));
const agreeTyped = close(rO, rT) && argsO.every((a, i) => close(a, argsT[i]));
originalCall(...argsOTyped);

/** Milliseconds of this process's CPU time for n calls. */
function block(fn, args, n) {
  const t0 = process.cpuUsage();
  for (let i = 0; i < n; i++) fn(...args);
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000;
}
// Calls per block: enough that the slowest variant's block takes ≥ 5 ms of CPU.
let calls = 1;
for (;;) {
  const t = Math.max(
    block(originalCall, argsO, calls),
    block(fast, argsF, calls),
    block(fast, argsT, calls),
    block(originalCall, argsOTyped, calls),
  );
  if (t >= 5 || calls >= 1 << 22) break;
  calls *= t < 0.3 ? 8 : 2;
}
const o = [];
const f = [];
const ty = [];
const ot = [];
for (let r = 0; r < rounds; r++) {
  o.push(block(originalCall, argsO, calls) / calls);
  f.push(block(fast, argsF, calls) / calls);
  ty.push(block(fast, argsT, calls) / calls);
  ot.push(block(originalCall, argsOTyped, calls) / calls);
}
process.stdout.write(
  JSON.stringify({
    size: sample.size,
    key: sample.key,
    calls,
    original: o,
    rewrite: f,
    typed: ty,
    original_typed: ot,
    agree,
    agree_typed: agreeTyped,
    mode,
    mode_typed: modeTyped,
  }) + '\n',
);
