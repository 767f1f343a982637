// Preloaded (NODE_OPTIONS=--require) into a library's own test run by bench/rewrites.ts: proves the
// applied rewrite actually ran. Every module a Hotloop scaffold folder exports (`hotloop/<dir>/dist/index.js`
// or its index.ts) is handed to the library through a counting proxy: calls, calls the wrapper itself says
// ran the original (`lastCallMode()` 'original' / `backend()` 'original'), and the warnings a wrapper prints
// when it falls back ("hotloop: …"). A few of the real argument lists are kept (copied before the call) as
// the benchmark's workload. Written as JSON to $HOTLOOP_PROBE_DIR/<pid>.json when the process exits.
'use strict';
const Module = require('node:module');
const { writeFileSync, mkdirSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.env.HOTLOOP_PROBE_DIR;
const WRAPPER = /[\\/]hotloop[\\/][^\\/]+[\\/](?:dist[\\/])?index\.(?:js|ts)$/;
const MAX_SAMPLES = 12;
/** Shapes up to this many elements keep a sample per scalar arguments as well. */
const SMALL_SHAPE = 100_000;
const MAX_ELEMENTS = 2_000_000;
const state = { calls: {}, fallbacks: {}, warnings: [], samples: {} };

function copyArg(v) {
  if (ArrayBuffer.isView(v)) return { array: v.constructor.name, values: Array.from(v, encodeNum) };
  if (Array.isArray(v)) {
    // A null element stays null (regression's points with no y: the loop tests for it).
    if (v.every((x) => typeof x === 'number' || x === null))
      return { array: 'number[]', values: v.map((x) => (x === null ? null : encodeNum(x))) };
    if (v.every((x) => Array.isArray(x) || ArrayBuffer.isView(x))) return { rows: v.map(copyArg) };
    return { unsupported: typeof v };
  }
  if (typeof v === 'number') return { num: encodeNum(v) };
  return { unsupported: typeof v };
}
const encodeNum = (x) => (Number.isFinite(x) ? x : String(x));
function sizeOf(a) {
  if (a.values) return a.values.length;
  if (a.rows) return a.rows.reduce((s, r) => s + sizeOf(r), 0);
  return 1;
}

function keep(name, args) {
  const list = (state.samples[name] ??= []);
  const copied = args.map(copyArg);
  const unsupported = (a) => a.unsupported || (a.rows && a.rows.some(unsupported));
  if (copied.some(unsupported)) return;
  const size = copied.reduce((s, a) => s + sizeOf(a), 0);
  if (size > MAX_ELEMENTS) return;
  // One sample per shape (array lengths); for small shapes, one per scalar arguments too: the same
  // arrays can carry very different work (dsp.js's FFT table loop runs `limit` = 1, 2, … 512 times on
  // one 1024-element table), and bench/rewritesTime.cjs replays the heaviest of them.
  const key = copied
    .map((a) =>
      a.values
        ? `${a.array}:${a.values.length}`
        : a.rows
          ? `rows:${a.rows.length}`
          : size <= SMALL_SHAPE
            ? `n=${a.num}`
            : 'n',
    )
    .join(',');
  if (list.some((s) => s.key === key)) return;
  if (list.length < MAX_SAMPLES) list.push({ key, size, args: copied });
  else {
    // Keep the largest shapes the tests use.
    list.sort((a, b) => a.size - b.size);
    if (size > list[0].size) list[0] = { key, size, args: copied };
  }
}

function proxy(file, ns) {
  const out = {};
  const mode = typeof ns.lastCallMode === 'function' ? ns.lastCallMode : undefined;
  const backend = typeof ns.backend === 'function' ? ns.backend : undefined;
  for (const [name, value] of Object.entries(ns)) {
    if (typeof value !== 'function' || name === 'lastCallMode' || name === 'backend' || /^alloc/.test(name)) {
      out[name] = value;
      continue;
    }
    out[name] = function (...args) {
      state.calls[name] = (state.calls[name] ?? 0) + 1;
      if ((state.samples[name]?.length ?? 0) < MAX_SAMPLES || state.calls[name] % 97 === 1) keep(name, args);
      const r = value.apply(this, args);
      const ran = mode ? mode() : backend ? backend() : 'unknown';
      if (ran === 'original') state.fallbacks[name] = (state.fallbacks[name] ?? 0) + 1;
      return r;
    };
  }
  return out;
}

const load = Module._load;
Module._load = function (request, parent, isMain) {
  const ns = load.apply(this, arguments);
  let file;
  try {
    file = Module._resolveFilename(request, parent, isMain);
  } catch {
    return ns;
  }
  return WRAPPER.test(file) && ns && typeof ns === 'object' ? proxy(file, ns) : ns;
};

function noteWarning(args) {
  const text = args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
  // The wrappers' own messages start 'hotloop: …'; a path that merely contains "hotloop" (Node's
  // require(esm) ExperimentalWarning names /tmp/hotloop-rewrites-…/hotloop/…/index.js) is no fallback.
  if (/(?:^|\s)hotloop: /i.test(text)) state.warnings.push(text.slice(0, 300));
}
const warn = console.warn;
console.warn = function (...args) {
  noteWarning(args);
  return warn.apply(this, args);
};
const emitWarning = process.emitWarning;
process.emitWarning = function (...args) {
  noteWarning([args[0]]);
  return emitWarning.apply(this, args);
};

process.on('exit', () => {
  if (!dir) return;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${process.pid}.json`), JSON.stringify(state));
  } catch {
    // The probe must never change the test's outcome.
  }
});
