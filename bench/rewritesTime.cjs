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
// { size, key, mix, calls, original: ms[], rewrite: ms[], typed: ms[], original_typed: ms[], agree, agree_typed, mode, mode_typed }
// (times per call, averaged over the mix).
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
// The workload: every distinct call of the largest shape the tests and bench scripts made (the probe
// keeps one per scalar arguments for small shapes: each FFT stage, each table size), replayed in turn,
// one after another, in every block. Replaying only the heaviest of them made the figure depend on
// which call a noisy first timing ranked first (fili's inverse FFT stage loop: 3.14× one run, 0.31×
// the next, on the same arrays). A call whose original throws is no workload.
const largest = samples.filter((s) => s.size === Math.max(...samples.map((x) => x.size)));
const modeNow = () =>
  typeof fastNs.lastCallMode === 'function'
    ? fastNs.lastCallMode()
    : typeof fastNs.backend === 'function'
      ? fastNs.backend()
      : 'unknown';
const mix = [];
for (const sample of largest) {
  const argsO = sample.args.map((a) => decode(a));
  const argsF = sample.args.map((a) => decode(a));
  const argsT = sample.args.map((a) => decode(a, true, true));
  // The original on the typed data too (a Float64Array upstream changes the JS side's speed as well).
  const argsOTyped = sample.args.map((a) => decode(a, true));
  let rF;
  try {
    rF = fast(...argsF);
  } catch (err) {
    // The original throws on it too (a recorded call of a test that expects an error): no workload.
    // A rewrite that throws where the original does not (a fallback under HOTLOOP_STRICT) is an error.
    let originalThrows = false;
    try {
      if (fresh === 0) original(...sample.args.map((a) => decode(a)));
    } catch {
      originalThrows = true;
    }
    if (!originalThrows || fresh !== 0) throw err;
    continue;
  }
  if (fresh && !(Array.isArray(rF) || ArrayBuffer.isView(rF))) {
    process.stdout.write(
      JSON.stringify({ skip: 'the wrapper of a fresh output array returned no array' }) + '\n',
    );
    process.exit(0);
  }
  const freshLength = fresh ? rF.length : 0;
  // A plain array the wrapper returns stands for original.js's Float64Array (what its loop fills).
  const originalCall = originalOf(freshLength, ArrayBuffer.isView(rF) ? rF.constructor : Float64Array);
  let rO;
  try {
    rO = originalCall(...argsO);
  } catch {
    continue;
  }
  const mode = modeNow();
  const rT = fast(...argsT);
  const modeTyped = modeNow();
  originalCall(...argsOTyped);
  mix.push({
    sample,
    originalCall,
    argsO,
    argsF,
    argsT,
    argsOTyped,
    agree: close(rO, rF) && argsO.every((a, i) => close(a, argsF[i])),
    agreeTyped: close(rO, rT) && argsO.every((a, i) => close(a, argsT[i])),
    mode,
    modeTyped,
  });
}
if (mix.length === 0) {
  process.stdout.write(JSON.stringify({ skip: 'every recorded call of the largest shape throws' }) + '\n');
  process.exit(0);
}
/** The mode every call of the mix reported, or the first that differs from 'native'/'wasm'/… (a fallback). */
const oneMode = (ms) => (ms.every((m) => m === ms[0]) ? ms[0] : ms.find((m) => m !== ms[0]));
const agree = mix.every((m) => m.agree);
const agreeTyped = mix.every((m) => m.agreeTyped);
const mode = oneMode(mix.map((m) => m.mode));
const modeTyped = oneMode(mix.map((m) => m.modeTyped));

/** Milliseconds of this process's CPU time for n passes over the mix: 'o' original, 'f' rewrite, 't' rewrite on typed data, 'ot' original on typed data. */
function block(variant, n) {
  const fns = mix.map((m) => (variant === 'o' || variant === 'ot' ? m.originalCall : fast));
  const args = mix.map((m) =>
    variant === 'o' ? m.argsO : variant === 'f' ? m.argsF : variant === 't' ? m.argsT : m.argsOTyped,
  );
  const t0 = process.cpuUsage();
  for (let i = 0; i < n; i++) for (let j = 0; j < fns.length; j++) fns[j](...args[j]);
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000;
}
// Passes per block: enough that the slowest variant's block takes ≥ 5 ms of CPU.
let calls = 1;
for (;;) {
  const t = Math.max(block('o', calls), block('f', calls), block('t', calls), block('ot', calls));
  if (t >= 5 || calls >= 1 << 22) break;
  calls *= t < 0.3 ? 8 : 2;
}
const perCall = calls * mix.length;
const o = [];
const f = [];
const ty = [];
const ot = [];
for (let r = 0; r < rounds; r++) {
  o.push(block('o', calls) / perCall);
  f.push(block('f', calls) / perCall);
  ty.push(block('t', calls) / perCall);
  ot.push(block('ot', calls) / perCall);
}
process.stdout.write(
  JSON.stringify({
    size: mix[0].sample.size,
    key: mix[0].sample.key,
    mix: mix.length,
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
