// Attribution: samples → (source-mapped) original lines → innermost enclosing loop (by Loop-fact id)
// and function; samples outside user code are classified (node internals, GC, idle, program,
// dependencies), never dropped.
import { relative, sep } from 'node:path';
import type { LoopFacts } from '../analysis/types.js';
import type { CpuProfile, ProfileNode, ProfileWalk, WalkNode } from './cpuprofile.js';
import { walkProfile } from './cpuprofile.js';
import { awaitFinder, callSiteFinder, innermost, loopTexts } from './loopSource.js';
import type { OriginalLine } from './sourceMaps.js';
import { SourceMapCache, urlToPath } from './sourceMaps.js';
import type { FunctionHeat, LineHeat, LoopHeat, SampleCategory, Shares, ThreadSummary } from './types.js';

export interface ThreadProfile {
  readonly profile: CpuProfile;
  readonly pid: number;
  readonly threadId: number;
}

export interface AttributionInput {
  readonly threads: readonly ThreadProfile[];
  /** Workspace root: files are reported relative to it. */
  readonly root: string;
  readonly intervalUs: number;
  /** Loop facts of an original file (absolute path); undefined or [] when it has none / cannot be read. */
  readonly loopsFor: (file: string) => Promise<readonly LoopFacts[] | undefined>;
  /** Script URLs that are Hotloop's own (preload, watchdog): counted as `program`. */
  readonly ownUrls?: (url: string) => boolean;
  /** Inline source maps of scripts compiled in memory (babel/register), by absolute path. */
  readonly runtimeMaps?: ReadonlyMap<string, string>;
}

export interface Attribution {
  readonly totalMs: number;
  /** Busy (non-idle) ms over all threads. */
  readonly busyMs: number;
  /** From the first profile's start to the last one's end. */
  readonly wallMs: number;
  /** Share of wall time in which at least one thread was busy (not idle): the run's CPU share. */
  readonly busyWallShare: number;
  readonly shares: Shares;
  readonly loops: readonly LoopHeat[];
  readonly functions: readonly FunctionHeat[];
  readonly lines: LineHeat;
  readonly threads: readonly ThreadSummary[];
  /** Original files (absolute) that user samples landed in. */
  readonly files: readonly string[];
}

interface NodeInfo {
  readonly category: SampleCategory;
  /** Original lines with the fraction of this node's self time on each (user/dependency only). */
  readonly lines: readonly { readonly at: OriginalLine; readonly fraction: number }[];
  readonly fnKey: string | undefined;
}

interface FnAcc {
  name: string;
  file: string;
  line: number;
  category: SampleCategory;
  self: number;
  total: number;
  gc: number;
  idle: number;
  threads: Set<number>;
}
interface LoopAcc {
  loop: LoopFacts;
  self: number;
  total: number;
  inclusive: number;
  gc: number;
  wait: number;
  threads: Set<number>;
}

const META: Record<string, SampleCategory> = {
  '(idle)': 'idle',
  '(garbage collector)': 'gc',
  '(program)': 'program',
  '(root)': 'program',
};

function classify(node: ProfileNode, maps: SourceMapCache, own: (url: string) => boolean): NodeInfo {
  const { functionName, url, lineNumber, columnNumber } = node.callFrame;
  const meta = META[functionName];
  if (meta && !url) return { category: meta, lines: [], fnKey: undefined };
  if (!url || url.startsWith('node:') || url.startsWith('internal/') || own(url))
    return { category: own(url) ? 'program' : 'node', lines: [], fnKey: undefined };
  const script = maps.get(url);
  if (!script) return { category: urlToPath(url) ? 'user' : 'node', lines: [], fnKey: undefined };
  const start = script.position(lineNumber, columnNumber);
  const ticks = node.positionTicks ?? [];
  const sum = ticks.reduce((a, t) => a + t.ticks, 0);
  const lines: { at: OriginalLine; fraction: number }[] = [];
  if (sum > 0) {
    for (const t of ticks) {
      const at = script.line(t.line - 1);
      if (at) lines.push({ at, fraction: t.ticks / sum });
    }
  }
  if (lines.length === 0 && start) lines.push({ at: start, fraction: 1 });
  const file = start?.file ?? lines[0]?.at.file ?? '';
  // Bundler glue (esbuild's __toESM…) maps to no original source.
  if (!file) return { category: 'node', lines: [], fnKey: undefined };
  const category: SampleCategory = file.split(/[\\/]/).includes('node_modules') ? 'dependency' : 'user';
  const fnKey = `${file}\u0000${start?.line ?? -1}\u0000${functionName}`;
  return { category, lines, fnKey };
}

function fnShares(a: FnAcc): { cpuShare: number; gcShare: number; idleShare: number } {
  const all = a.total + a.gc + a.idle;
  return all > 0
    ? { cpuShare: a.total / all, gcShare: a.gc / all, idleShare: a.idle / all }
    : { cpuShare: 1, gcShare: 0, idleShare: 0 };
}

/**
 * Share of the run's wall time in which some thread (of any process) was busy: a main thread that
 * waits for its workers is not waiting on IO while they compute.
 */
function busyTimeline(
  walks: readonly ProfileWalk[],
  bucketMs: number,
  busy: (n: WalkNode) => boolean,
): number {
  if (walks.length === 0) return 0;
  const start = Math.min(...walks.map((w) => w.startMs));
  const end = Math.max(...walks.map((w) => w.endMs));
  const b = Math.max(0.05, bucketMs);
  const n = Math.ceil((end - start) / b) + 1;
  if (!(n > 0) || n > 5e7) return 0;
  const marks = new Uint8Array(n);
  for (const w of walks) {
    for (const s of w.sequence) {
      if (!busy(s.node)) continue;
      const from = Math.floor((s.at - start) / b);
      const to = Math.max(from, Math.ceil((s.at + s.ms - start) / b) - 1);
      for (let k = Math.max(0, from); k <= to && k < n; k++) marks[k] = 1;
    }
  }
  let count = 0;
  for (const m of marks) count += m;
  return Math.min(1, count / n);
}

function rel(root: string, file: string): string {
  const r = relative(root, file);
  return r.startsWith('..') ? file : r.split(sep).join('/');
}

/** Attributes every thread's samples; the caller turns the result into a ProfileResult. */
export async function attribute(input: AttributionInput): Promise<Attribution> {
  const maps = new SourceMapCache(input.runtimeMaps);
  const own = input.ownUrls ?? (() => false);
  const walks = input.threads.map((t) => ({ t, walk: walkProfile(t.profile, input.intervalUs) }));
  const infos = new Map<WalkNode, NodeInfo>();
  const info = (w: WalkNode): NodeInfo => {
    let i = infos.get(w);
    if (!i) {
      i = classify(w.node, maps, own);
      infos.set(w, i);
    }
    return i;
  };
  // First pass: which original files have user time (their loops are loaded once each).
  const files = new Set<string>();
  for (const { walk } of walks) {
    for (const w of walk.byId.values()) {
      const i = info(w);
      if (i.category === 'user') for (const l of i.lines) files.add(l.at.file);
    }
  }
  const loopsByFile = new Map<string, readonly LoopFacts[]>();
  for (const f of files) loopsByFile.set(f, (await input.loopsFor(f)) ?? []);
  const loopById = new Map<string, LoopFacts>();
  for (const ls of loopsByFile.values()) for (const l of ls) loopById.set(l.id, l);

  const cat: Record<SampleCategory, number> = { user: 0, dependency: 0, node: 0, gc: 0, idle: 0, program: 0 };
  const fns = new Map<string, FnAcc>();
  const loops = new Map<string, LoopAcc>();
  const lineHeat: Record<string, Record<number, number>> = {};
  const threads: ThreadSummary[] = [];
  const loopAcc = (l: LoopFacts): LoopAcc => {
    let a = loops.get(l.id);
    if (!a)
      loops.set(l.id, (a = { loop: l, self: 0, total: 0, inclusive: 0, gc: 0, wait: 0, threads: new Set() }));
    return a;
  };
  const fnAcc = (w: WalkNode, i: NodeInfo): FnAcc | undefined => {
    if (!i.fnKey) return undefined;
    let a = fns.get(i.fnKey);
    if (!a) {
      const [file = '', line = '-1'] = i.fnKey.split('\u0000');
      fns.set(
        i.fnKey,
        (a = {
          name: w.node.callFrame.functionName || '(anonymous)',
          file: rel(input.root, file),
          line: Number(line),
          category: i.category,
          self: 0,
          total: 0,
          gc: 0,
          idle: 0,
          threads: new Set(),
        }),
      );
    }
    return a;
  };

  const text = loopTexts();
  const callSite = callSiteFinder(loopsByFile, text);
  const awaits = awaitFinder(loopsByFile, text);
  let wallMs = 0;
  for (const { t, walk } of walks) {
    wallMs = Math.max(wallMs, walk.durationMs);
    let userMs = 0;
    // What the last CPU sample ran (its own lines): a GC sample right after it is charged there.
    let lastLoops: { acc: LoopAcc; fraction: number }[] = [];
    let lastFns: FnAcc[] = [];
    // The latest loops with an `await` seen on the stack (and their functions): idle time is charged
    // there, since that is what the program waits in.
    let waiting: { loops: LoopAcc[]; fns: FnAcc[] } = { loops: [], fns: [] };
    for (const { node, ms } of walk.sequence) {
      const i = info(node);
      cat[i.category] += ms;
      if (i.category === 'gc') {
        for (const { acc, fraction } of lastLoops) {
          acc.gc += ms * fraction;
          acc.total += ms * fraction;
        }
        for (const f of lastFns) f.gc += ms;
        continue;
      }
      if (i.category === 'idle') {
        for (const acc of waiting.loops) acc.wait += ms;
        for (const f of waiting.fns) f.idle += ms;
        continue;
      }
      if (i.category === 'program') {
        lastLoops = [];
        lastFns = [];
        continue;
      }
      // Inclusive time: every distinct user/dependency function on the stack.
      const seen = new Set<FnAcc>();
      for (let w: WalkNode | undefined = node; w; w = w.parent) {
        const a = fnAcc(w, info(w));
        if (a && !seen.has(a)) {
          seen.add(a);
          a.total += ms;
          a.threads.add(t.threadId);
        }
      }
      lastFns = [...seen].filter((f) => f.category === 'user');
      const own = fnAcc(node, i);
      if (own) own.self += ms;
      // Loop time of this sample: its own lines (lexical: self and enclosing loops), and the loops
      // its callers called it from (inclusive only).
      const lexical = new Map<LoopAcc, number>();
      const inclusive = new Map<LoopAcc, number>();
      const chain = (into: Map<LoopAcc, number>, loop: LoopFacts, part: number): void => {
        for (let l: LoopFacts | undefined = loop; l; l = l.parentId ? loopById.get(l.parentId) : undefined) {
          const a = loopAcc(l);
          into.set(a, Math.min(ms, (into.get(a) ?? 0) + part));
        }
      };
      if (i.category === 'user') {
        userMs += ms;
        for (const { at, fraction } of i.lines) {
          const part = ms * fraction;
          const relFile = rel(input.root, at.file);
          const fileHeat = (lineHeat[relFile] ??= {});
          fileHeat[at.line] = (fileHeat[at.line] ?? 0) + part;
          const loop = innermost(loopsByFile.get(at.file) ?? [], at.line);
          if (!loop) continue;
          loopAcc(loop).self += part;
          chain(lexical, loop, part);
          chain(inclusive, loop, part);
        }
      }
      const awaitingNow: LoopAcc[] = [];
      const awaitingFns: FnAcc[] = [];
      for (let child: WalkNode = node, w = node.parent; w; child = w, w = w.parent) {
        const ai = info(w);
        if (ai.category !== 'user' || !ai.fnKey) continue;
        const loop = callSite(ai, w.node.callFrame.functionName, child.node.callFrame.functionName);
        if (!loop) continue;
        chain(inclusive, loop, ms);
        for (let l: LoopFacts | undefined = loop; l; l = l.parentId ? loopById.get(l.parentId) : undefined) {
          if (awaits(l)) {
            awaitingNow.push(loopAcc(l));
            const f = fnAcc(w, ai);
            if (f) awaitingFns.push(f);
            break;
          }
        }
      }
      for (const [acc] of lexical) if (awaits(acc.loop) && !awaitingNow.includes(acc)) awaitingNow.push(acc);
      if (awaitingNow.length)
        waiting = { loops: awaitingNow, fns: awaitingFns.length ? awaitingFns : own ? [own] : [] };
      lastLoops = [];
      for (const [acc, part] of lexical) {
        acc.total += part;
        lastLoops.push({ acc, fraction: part / ms });
      }
      for (const [acc, part] of inclusive) {
        acc.inclusive += part;
        acc.threads.add(t.threadId);
      }
    }
    threads.push({
      pid: t.pid,
      threadId: t.threadId,
      samples: walk.sampleCount,
      durationMs: walk.durationMs,
      userMs,
    });
  }

  const busyWallShare = busyTimeline(
    walks.map((w) => w.walk),
    input.intervalUs / 1000,
    (n) => info(n).category !== 'idle',
  );
  const totalMs = Object.values(cat).reduce((a, b) => a + b, 0);
  const busyMs = totalMs - cat.idle;
  const denom = busyMs > 0 ? busyMs : 1;
  const share = (x: number): number => x / denom;
  const shares = Object.fromEntries(
    Object.entries(cat).map(([k, v]) => [k, totalMs > 0 ? v / totalMs : 0]),
  ) as unknown as Shares;
  // Hottest first; an outer loop ties with its only nested loop (no own time) and goes first.
  const ranked = [...loops.values()].sort((x, y) => y.total - x.total || x.loop.depth - y.loop.depth);
  const loopList: LoopHeat[] = ranked.map((a) => ({
    loopId: a.loop.id,
    file: a.loop.file,
    range: a.loop.range,
    functionName: a.loop.functionName,
    selfMs: a.self,
    totalMs: a.total,
    selfShare: share(a.self),
    totalShare: share(a.total),
    inclusiveMs: a.inclusive,
    gcMs: a.gc,
    waitMs: a.wait,
    threads: [...a.threads].sort((x, y) => x - y),
  }));
  const fnList: FunctionHeat[] = [...fns.values()]
    .map((a) => ({
      functionName: a.name,
      file: a.file,
      line: a.line,
      selfMs: a.self,
      totalMs: a.total,
      selfShare: share(a.self),
      totalShare: share(a.total),
      gcMs: a.gc,
      idleMs: a.idle,
      category: a.category,
      ...fnShares(a),
      threads: [...a.threads].sort((x, y) => x - y),
    }))
    .sort((x, y) => y.selfMs + y.gcMs - (x.selfMs + x.gcMs));
  return {
    totalMs,
    busyMs,
    wallMs,
    busyWallShare,
    shares,
    loops: loopList,
    functions: fnList,
    lines: lineHeat,
    threads,
    files: [...files],
  };
}
