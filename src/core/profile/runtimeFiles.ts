// The small CommonJS files a profiled target loads with `--require` (written into the run's temp
// dir, so the bundled extension needs no extra files on disk):
// - preload: turns SIGTERM/SIGINT into process.exit() so V8 writes the profile; records the process
//   and the child processes it spawns; starts the watchdog; provides the shapes-pass hooks.
// - watchdog: a worker thread that, when the stop file appears, asks the main thread (through the
//   inspector, which interrupts even a busy loop) to exit, so an endless target still yields a profile.
//   Only in node processes the runner did not start itself: those it stops through their own
//   inspector instead (inspectorStop.ts), which costs nothing until the stop.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const PRELOAD_FILE = 'hotloop-preload.cjs';
export const WATCHDOG_FILE = 'hotloop-watchdog.cjs';
export const PROCESSES_FILE = 'processes.jsonl';
export const STOP_FILE = 'stop';
/** The shapes pass's instrumented sources (absolute path → text), served by the preload. */
export const SHAPES_SOURCES_FILE = 'hotloop-sources.json';
export const SHAPES_HOOKS_FILE = 'hotloop-shapes-hooks.mjs';
/** Inline source maps of code compiled in memory (babel/register, ts-node): `{ file, map }` lines. */
export const RUNTIME_MAPS_FILE = 'runtime-maps.jsonl';

const preload = String.raw`'use strict';
// Hotloop profiler preload (generated). Do not edit.
// Every millisecond here is added to every profiled run, so the main thread loads neither
// worker_threads (~4 ms) nor child_process (~6 ms) unless it needs them: in a worker, process.abort is
// node's unavailableInWorker stub, which tells the threads apart without the module.
const inWorker = process.abort.name === 'unavailableInWorker';
const wt = inWorker ? require('worker_threads') : { isMainThread: true, threadId: 0, workerData: null, get Worker() { return require('worker_threads').Worker; } };
const fs = require('fs');
const path = require('path');
const dir = process.env.HOTLOOP_PROFILE_DIR;
function record(entry) {
  try { fs.appendFileSync(path.join(dir, ${JSON.stringify(PROCESSES_FILE)}), JSON.stringify(entry) + '\n'); } catch { /* best effort */ }
}
const isWatchdog = !wt.isMainThread && wt.workerData && wt.workerData.hotloopWatchdog === true;
if (dir && !isWatchdog && process.env.HOTLOOP_CPU_PROFILE !== '0' && !process.execArgv.some((a) => a.startsWith('--cpu-prof'))) {
  // No --cpu-prof on this process (an npm script, a test runner, a node child the target spawned,
  // where NODE_OPTIONS cannot carry it): profile this thread through the inspector instead.
  try {
    const inspector = require('inspector');
    const session = new inspector.Session();
    session.connect();
    session.post('Profiler.enable');
    session.post('Profiler.setSamplingInterval', { interval: Number(process.env.HOTLOOP_PROFILE_INTERVAL) || 1000 });
    session.post('Profiler.start');
    process.on('exit', () => {
      // In-thread sessions answer synchronously, so this runs before the thread is gone.
      session.post('Profiler.stop', (err, res) => {
        if (err || !res) return;
        const name = 'CPU.00000000.000000.' + process.pid + '.' + wt.threadId + '.' + (900 + wt.threadId) + '.cpuprofile';
        try { fs.writeFileSync(path.join(dir, name), JSON.stringify(res.profile)); } catch { /* best effort */ }
      });
    });
  } catch { /* no inspector in this build of node */ }
}
if (dir && !isWatchdog && process.env.HOTLOOP_SHAPES !== '1') recordRuntimeMaps();
if (dir && !isWatchdog) {
  const shapesOn = process.env.HOTLOOP_SHAPES === '1';
  if (shapesOn) {
    const counters = new Float64Array(4096);
    const entries = new Float64Array(4096);
    const arrays = new Map();
    globalThis.__hotloopCounters = counters;
    globalThis.__hotloopEntries = entries;
    const kindOf = (a) => {
      if (a === null || a === undefined) return undefined;
      if (ArrayBuffer.isView(a)) return { kind: a.constructor.name, length: a.length };
      if (Array.isArray(a)) {
        const n = a.length;
        const probe = n === 0 ? [] : [a[0], a[n >> 1], a[n - 1]];
        const kinds = new Set(probe.map((v) => (v === null ? 'null' : typeof v)));
        const elementKind = kinds.size === 0 ? 'empty' : kinds.size === 1 ? [...kinds][0] : 'mixed';
        // Rows (number[][], Float64Array[]): the first row's length and constructor, so a replay builds rows.
        const row = elementKind === 'object' ? probe[0] : undefined;
        if (row && (Array.isArray(row) || ArrayBuffer.isView(row))) return { kind: 'Array', length: n, elementKind, rowLength: row.length, rowType: row.constructor.name };
        return { kind: 'Array', length: n, elementKind };
      }
      return undefined;
    };
    // Every parameter of the kernel at sampled entries (each of the first 1024, then every 64th, weighted so):
    // up to 32 distinct shapes per loop, each with its calls and iterations (the histogram).
    const buckets = new Map();
    const paramOf = (get) => {
      let v;
      try { v = get(); } catch { return { kind: 'other', type: 'unavailable' }; }
      // NaN and ±Infinity (a min/max reduction's start) as 'other', by name: JSON has no such numbers.
      if (typeof v === 'number') return Number.isFinite(v) ? { kind: 'scalar', value: v } : { kind: 'other', type: String(v) };
      const s = kindOf(v);
      if (s) return s.elementKind === undefined ? { kind: 'array', type: s.kind, length: s.length } : s.rowLength === undefined ? { kind: 'array', type: s.kind, length: s.length, elementKind: s.elementKind } : { kind: 'array', type: s.kind, length: s.length, elementKind: s.elementKind, rowLength: s.rowLength, rowType: s.rowType };
      return { kind: 'other', type: v === null ? 'null' : typeof v };
    };
    // Opt-in (hotloop.profile.captureInputs): a bounded sample of the real arguments, written at exit
    // into HOTLOOP_CAPTURE_DIR (the workspace's .hotloop/inputs/): at most 3 calls per loop, each of at
    // most 65,536 numbers, 1,000,000 numbers per process; NaN and ±Infinity kept as strings.
    const captureDir = process.env.HOTLOOP_CAPTURE_DIR;
    const captured = new Map();
    let capturedNumbers = 0;
    const enc = (x) => (Number.isFinite(x) ? x : String(x));
    const capture = (k, params) => {
      const list = captured.get(k) || [];
      if (list.length >= 3) return;
      const values = [];
      let count = 0;
      for (const get of params) {
        let v;
        try { v = get(); } catch { return; }
        if (typeof v === 'number') { values.push(enc(v)); count++; continue; }
        const s = kindOf(v);
        if (!s || (s.elementKind !== undefined && s.elementKind !== 'number' && s.elementKind !== 'empty')) return;
        count += v.length;
        if (count > 65536 || capturedNumbers + count > 1000000) return;
        values.push({ type: s.kind, data: Array.from(v, enc) });
      }
      capturedNumbers += count;
      list.push(values);
      captured.set(k, list);
    };
    const recordParams = (k, params) => {
      if (captureDir) capture(k, params);
      const shape = params.map(paramOf);
      const key = JSON.stringify(shape);
      const weight = entries[k] <= 1024 ? 1 : 64;
      let b = buckets.get(k);
      if (!b) { b = { keys: new Map(), list: [], other: 0 }; buckets.set(k, b); }
      let i = b.keys.get(key);
      if (i === undefined) {
        if (b.list.length >= 32) { b.other += weight; return -1; }
        i = b.list.length;
        b.keys.set(key, i);
        b.list.push({ params: shape, calls: 0, iterations: 0 });
      }
      b.list[i].calls += weight;
      return i * 2 + (weight === 1 ? 0 : 1);
    };
    globalThis.__hotloopEnter = (k, get, params) => {
      let list;
      try { list = get(); } catch { list = []; }
      let seen = arrays.get(k);
      if (!seen) { seen = []; arrays.set(k, seen); }
      list.forEach((a, i) => {
        const s = kindOf(a);
        if (!s) return;
        const prev = seen[i];
        if (!prev) seen[i] = { kind: s.kind, elementKind: s.elementKind, minLength: s.length, maxLength: s.length };
        else { prev.minLength = Math.min(prev.minLength, s.length); prev.maxLength = Math.max(prev.maxLength, s.length); if (prev.elementKind !== s.elementKind) prev.elementKind = 'mixed'; }
      });
      return params ? recordParams(k, params) : -1;
    };
    globalThis.__hotloopExit = (k, token, iterations) => {
      const b = buckets.get(k);
      const bucket = b && b.list[token >> 1];
      if (bucket) bucket.iterations += iterations * (token & 1 ? 64 : 1);
    };
    globalThis.__hotloopReceiver = (k, a, params) => { entries[k]++; if (entries[k] <= 1024 || (entries[k] - 1) % 64 === 0) globalThis.__hotloopEnter(k, () => [a], params); return a; };
    // Code run in another realm (jest's test context) reaches the hooks through process, whose
    // functions the realm's copy of process keeps.
    const hooks = { __hotloopCounters: counters, __hotloopEntries: entries, __hotloopEnter: globalThis.__hotloopEnter, __hotloopExit: globalThis.__hotloopExit, __hotloopReceiver: globalThis.__hotloopReceiver };
    Object.defineProperty(process, '__hotloopHooks', { value: () => hooks, enumerable: false, configurable: true, writable: true });
    if (process.env.HOTLOOP_SHAPES_SOURCES) serveSources(process.env.HOTLOOP_SHAPES_SOURCES);
    process.on('exit', () => {
      const out = {};
      for (let k = 0; k < counters.length; k++) {
        if (counters[k] || entries[k]) { const b = buckets.get(k); out[k] = { iterations: counters[k], entries: entries[k], arrays: arrays.get(k) || [], shapes: b ? b.list : [], otherCalls: b ? b.other : 0 }; }
      }
      try { fs.writeFileSync(path.join(dir, 'shapes-' + process.pid + '-' + wt.threadId + '.json'), JSON.stringify(out)); } catch { /* best effort */ }
      if (captureDir && captured.size) {
        try {
          fs.mkdirSync(captureDir, { recursive: true });
          fs.writeFileSync(path.join(captureDir, 'raw-' + process.pid + '-' + wt.threadId + '.json'), JSON.stringify(Object.fromEntries(captured)));
        } catch { /* best effort */ }
      }
    });
  }
  if (wt.isMainThread) {
    // A node process the runner started itself has --inspect-port=0 on its command line: the runner
    // stops it through its inspector (SIGUSR1), so it needs no watchdog thread (a worker costs ~50–90 ms
    // of CPU). Processes it spawns with another command line keep the watchdog.
    const inspectorStop = process.execArgv.includes('--inspect-port=0');
    record({ type: 'process', pid: process.pid, ppid: process.ppid, argv: process.argv, inspectorStop });
    hookChildren();
    for (const [sig, code] of [['SIGTERM', 143], ['SIGINT', 130]]) process.on(sig, () => process.exit(code));
    const stop = path.join(dir, ${JSON.stringify(STOP_FILE)});
    // execArgv: [] keeps --cpu-prof off the watchdog (no profile of its own to write and skip).
    if (!inspectorStop) try {
      const w = new wt.Worker(path.join(__dirname, ${JSON.stringify(WATCHDOG_FILE)}), { workerData: { stop, hotloopWatchdog: true }, stdout: false, stderr: false, execArgv: [] });
      w.unref();
      record({ type: 'watchdog', pid: process.pid, threadId: w.threadId });
      w.on('error', () => undefined);
    } catch { /* no watchdog: SIGTERM still works between tasks */ }
  }
}

// The shapes pass on a target Hotloop does not bundle (a test runner, an npm script): the instrumented
// text of the loops' files replaces the files for whatever reads them — fs.readFileSync (node's
// CommonJS loader, ts-jest, babel/register, graceful-fs copies made after this), fs.readFile, and
// the ESM loader through a module hook.
function serveSources(file) {
  let sources;
  try { sources = JSON.parse(fs.readFileSync(file, 'utf8')); } catch { return; }
  const keys = Object.keys(sources);
  if (keys.length === 0) return;
  const url = require('url');
  const pathOf = (p) => {
    try {
      if (typeof p === 'string') return path.resolve(p);
      if (p instanceof URL && p.protocol === 'file:') return url.fileURLToPath(p);
    } catch { /* not a path */ }
    return undefined;
  };
  const wanted = (p, options) => {
    const abs = pathOf(p);
    if (abs === undefined || !Object.prototype.hasOwnProperty.call(sources, abs)) return undefined;
    const enc = typeof options === 'string' ? options : options && options.encoding;
    return enc ? sources[abs] : Buffer.from(sources[abs], 'utf8');
  };
  const readFileSync = fs.readFileSync;
  fs.readFileSync = function (p, options) {
    const text = wanted(p, options);
    return text !== undefined ? text : readFileSync.apply(this, arguments);
  };
  const readFile = fs.readFile;
  fs.readFile = function (p, options, cb) {
    const done = typeof options === 'function' ? options : cb;
    const text = typeof done === 'function' ? wanted(p, typeof options === 'function' ? undefined : options) : undefined;
    if (text === undefined) return readFile.apply(this, arguments);
    process.nextTick(done, null, text);
  };
  const promised = fs.promises.readFile;
  fs.promises.readFile = function (p, options) {
    const text = wanted(p, options);
    return text !== undefined ? Promise.resolve(text) : promised.apply(this, arguments);
  };
  try {
    const mod = require('module');
    if (typeof mod.register === 'function')
      mod.register(url.pathToFileURL(path.join(__dirname, ${JSON.stringify(SHAPES_HOOKS_FILE)})).href, { data: { file } });
  } catch { /* no module hooks in this node: CommonJS still gets the sources */ }
}

// A CommonJS module compiled from text that is not its file's (babel/register, ts-node, coffee…) runs
// at other lines than the file's: its inline source map (the only copy is in memory) is written
// beside the profiles, so the samples map back to the file's own lines.
function recordRuntimeMaps() {
  let Module;
  try { Module = require('module'); } catch { return; }
  const compile = Module.prototype._compile;
  if (typeof compile !== 'function') return;
  const mapsFile = path.join(dir, ${JSON.stringify(RUNTIME_MAPS_FILE)});
  Module.prototype._compile = function (content, filename) {
    try {
      if (typeof content === 'string' && typeof filename === 'string') {
        const at = content.lastIndexOf('sourceMappingURL=data:');
        if (at > 0 && /\/\/[#@] $/.test(content.slice(at - 4, at))) {
          const ref = content.slice(at + 'sourceMappingURL='.length).trim();
          if (!/\s/.test(ref)) fs.appendFileSync(mapsFile, JSON.stringify({ file: filename, map: ref }) + '\n');
        }
      }
    } catch { /* best effort */ }
    return compile.apply(this, arguments);
  };
}

// Names the child processes this process starts. Cheap route (node >= 18): the 'child_process'
// diagnostics channel sees every ChildProcess (spawn, exec, execFile, fork; CJS or ESM) as it is made,
// and the spawn_sync binding every synchronous one; neither loads child_process. process.binding
// warns under --pending-deprecation, so then (and where the route is missing) child_process is
// loaded and patched instead.
function hookChildren() {
  const command = (options) => [options.file].concat((options.args || []).slice(1)).join(' ');
  // A ChildProcess#spawn that records the child once it has its pid.
  const recorded = (spawn) => function (options) {
    const result = spawn.apply(this, arguments);
    try { record({ type: 'child', parentPid: process.pid, pid: this.pid, command: command(options) }); } catch { /* ignore */ }
    return result;
  };
  const pending = process.execArgv.includes('--pending-deprecation') || /--pending-deprecation/.test(process.env.NODE_OPTIONS || '') || process.env.NODE_PENDING_DEPRECATION === '1';
  if (!pending && Number(process.versions.node.split('.')[0]) >= 18 && typeof process.binding === 'function') {
    try {
      const dc = require('diagnostics_channel');
      const spawnSync = process.binding('spawn_sync');
      const syncSpawn = spawnSync.spawn;
      if (typeof dc.subscribe === 'function' && typeof syncSpawn === 'function') {
        spawnSync.spawn = function (options) {
          try { record({ type: 'child', parentPid: process.pid, command: command(options) }); } catch { /* ignore */ }
          return syncSpawn.apply(this, arguments);
        };
        dc.subscribe('child_process', (message) => {
          const child = message && message.process;
          if (child && typeof child.spawn === 'function') child.spawn = recorded(child.spawn);
        });
        return;
      }
    } catch { /* fall through to patching child_process */ }
  }
  const cp = require('child_process');
  cp.ChildProcess.prototype.spawn = recorded(cp.ChildProcess.prototype.spawn);
  for (const name of ['spawnSync', 'execFileSync', 'execSync']) {
    const orig = cp[name];
    cp[name] = function (file, args) {
      record({ type: 'child', parentPid: process.pid, command: String(file) + (Array.isArray(args) ? ' ' + args.join(' ') : '') });
      return orig.apply(this, arguments);
    };
  }
}
`;

const watchdog = String.raw`'use strict';
// Hotloop profiler watchdog (generated): when the stop file appears, make the main thread exit
// through the inspector (it interrupts running JS), so the CPU profile is written.
const fs = require('fs');
const inspector = require('inspector');
const { workerData } = require('worker_threads');
const timer = setInterval(() => {
  if (!fs.existsSync(workerData.stop)) return;
  clearInterval(timer);
  const session = new inspector.Session();
  session.connectToMainThread();
  session.post('Runtime.evaluate', { expression: 'process.exit(124)' }, () => undefined);
  // An exiting main thread waits for connected sessions ("Waiting for the debugger to disconnect"):
  // let it go once it has had time to take the message.
  setTimeout(() => session.disconnect(), 300);
}, 50);
`;

// The ESM side of serveSources: an ES module among the instrumented files loads its instrumented text.
const shapesHooks = String.raw`// Hotloop shapes-pass module hooks (generated). Do not edit.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
let sources = {};
export function initialize(data) {
  try { sources = JSON.parse(readFileSync(data.file, 'utf8')); } catch { sources = {}; }
}
export async function load(url, context, next) {
  const result = await next(url, context);
  if (!url.startsWith('file:') || result.format !== 'module') return result;
  const text = sources[fileURLToPath(url)];
  return text === undefined ? result : { ...result, source: text };
}
`;

/** Writes the preload and watchdog into `dir`; returns the preload's path. */
export function writeRuntimeFiles(dir: string): string {
  writeFileSync(join(dir, WATCHDOG_FILE), watchdog);
  writeFileSync(join(dir, SHAPES_HOOKS_FILE), shapesHooks);
  const preloadPath = join(dir, PRELOAD_FILE);
  writeFileSync(preloadPath, preload);
  return preloadPath;
}
