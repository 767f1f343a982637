// The shapes pass: instrument the top loops of a bundle so a second run records trip counts and
// the lengths/element kinds of the arrays they use. Insertions are inline (no new lines), so the
// source map and the Loop-fact ranges stay valid.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LoopFacts } from '../analysis/types.js';
import { ts } from '../analysis/ts.js';
import { finishHistogram, mergeBuckets, type BucketAcc, type RawBucket } from './shapeHistogram.js';
import type { ArrayShape, LoopShape } from './types.js';

/** One instrumented loop: its counter slot and the array expressions recorded at entry. */
export interface ShapeSlot {
  readonly slot: number;
  readonly loopId: string;
  readonly arrays: readonly string[];
  /** The kernel's parameters, in order, recorded at each sampled entry (empty without a kernel). */
  readonly params?: readonly string[];
}

/**
 * Text inserted at `at`. An `open` starts a wrapper that a `close` ends (`other`: where the wrapped
 * node ends, or starts for a close; `depth`: of the wrapped node, less for an outer loop's body
 * wrapper), so wrappers that meet at one offset nest properly.
 */
interface Insert {
  readonly at: number;
  readonly text: string;
  readonly kind?: 'open' | 'close';
  readonly other?: number;
  readonly depth?: number;
}

const ARRAY_CALLS = new Set(['map', 'reduce', 'forEach', 'filter']);

function posOf(sf: ts.SourceFile, line: number, character: number): number {
  return sf.getPositionOfLineAndCharacter(line, character);
}

/** Finds the AST node of a loop fact: same kind of node starting on the fact's line, nearest column. */
function findNode(sf: ts.SourceFile, loop: LoopFacts): ts.Node | undefined {
  const line = loop.range.start.line;
  let best: ts.Node | undefined;
  let bestDist = Infinity;
  const want = posOf(sf, line, loop.range.start.character);
  const visit = (n: ts.Node): void => {
    const isLoop =
      ts.isIterationStatement(n, false) ||
      (ts.isCallExpression(n) &&
        ts.isPropertyAccessExpression(n.expression) &&
        ARRAY_CALLS.has(n.expression.name.text));
    if (isLoop && sf.getLineAndCharacterOfPosition(n.getStart(sf)).line === line) {
      const d = Math.abs(n.getStart(sf) - want);
      if (d < bestDist) {
        best = n;
        bestDist = d;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return best;
}

/** Array names a loop reads or writes that are plain identifiers (safe to evaluate before the loop). */
function arrayNames(loop: LoopFacts): string[] {
  return loop.arrays.map((a) => a.name).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n));
}

function depthOf(n: ts.Node): number {
  let d = 0;
  for (let p = n.parent as ts.Node | undefined; p; p = p.parent) d++;
  return d;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;
/** `a.b.c`, `this.n`: an expression safe to evaluate again at the loop's entry (no call, no index). */
const PATH = /^(?:this|[A-Za-z_$][\w$]*)(?:\.[A-Za-z_$][\w$]*)*$/;

/**
 * What each kernel parameter is in the source at the loop's entry, by its role rather than its name:
 * a live-in scalar (`<name>_in`, copied into a local by the kernel's first statements) is that local;
 * a field read before the loop (`obj.f` as `obj_f`, `this.n` as `n`, stated in the verdict's notes) is
 * that field; the live-outs array the wrapper makes (written only at constant indices) is not in the
 * source (undefined); any other parameter is the variable of its name.
 */
export function paramSources(loop: LoopFacts, text?: string): (string | undefined)[] {
  // A name the analysis made unique (`cnt_2` for an undeclared `cnt`) is the source's name without
  // the suffix, when only that one occurs in the file.
  const inText = (n: string): boolean =>
    text === undefined || new RegExp(`(?<![\\w$])${n.replace(/\$/g, '\\$')}(?![\\w$])`).test(text);
  const spelled = (n: string): string => {
    let m = n;
    while (!inText(m) && /_\d+$/.test(m)) m = m.replace(/_\d+$/, '');
    return inText(m) ? m : n;
  };
  const k = loop.kernel;
  if (!k) return [];
  const copies = new Map<string, string>();
  for (const st of k.body) {
    if (st.kind !== 'let' || st.init.kind !== 'var') break;
    // The analysis names the copy's parameter `<local>_in` (made unique with `_2`, `_3`…).
    if (st.init.name.startsWith(`${st.name}_in`)) copies.set(st.init.name, st.name);
  }
  const fields = new Map<string, string>();
  const notes = loop.verdict.translatable ? (loop.verdict.notes ?? []) : [];
  for (const n of notes) {
    const m = /^(\S+) is read once, before the loop, as parameter (\S+)/.exec(n);
    if (m && PATH.test(m[1]!)) fields.set(m[2]!, m[1]!);
  }
  const resultArray = k.result.kind === 'array' ? k.result.name : undefined;
  const inSource = new Set(loop.arrays.map((a) => a.name));
  return k.params.map((p) => {
    const field = fields.get(p.name);
    if (field) return field;
    const local = p.kind === 'scalar' ? copies.get(p.name) : undefined;
    if (local) return spelled(local);
    if (p.kind === 'array' && p.name === resultArray && p.access === 'write' && !inSource.has(p.name))
      return undefined;
    return IDENT.test(p.name) && p.name !== 'this' ? p.name : undefined;
  });
}

function instrumentLoop(
  sf: ts.SourceFile,
  node: ts.Node,
  slot: number,
  names: readonly string[],
  params: readonly (string | undefined)[],
  inserts: Insert[],
): readonly string[] {
  const count = `__hotloopCounters[${slot}]++;`;
  // One getter per parameter (a name that is not in scope fails alone; one that is not in the source,
  // like the live-outs array, reads undefined); built only on sampled entries.
  const pget = params.length ? `[${params.map((p) => `() => ${p ?? 'undefined'}`).join(', ')}]` : 'undefined';
  if (ts.isIterationStatement(node, false)) {
    // Entry: sampled (each of the first 1024, then every 64th) so inner loops stay cheap; the closures tolerate
    // TDZ names. The sample's token lets the exit add this entry's iterations to its shape's bucket.
    let stmt: ts.Node = node;
    while (ts.isLabeledStatement(stmt.parent)) stmt = stmt.parent;
    // Iterations: a local counter (a register in optimised code, not a store per iteration), added to
    // the shared slot when the loop is left in any way (break, return, throw).
    const get = `() => [${names.join(', ')}]`;
    const local = `__hotloopN${slot}`;
    const token = `__hotloopS${slot}`;
    const sampled = `(__hotloopEntries[${slot}]++ < 1024 || __hotloopEntries[${slot}] % 64 === 1)`;
    inserts.push({
      at: stmt.getStart(sf),
      text: `{ const ${token} = ${sampled} ? __hotloopEnter(${slot}, ${get}, ${pget}) : -1; let ${local} = 0; try { `,
      kind: 'open',
      other: stmt.getEnd(),
      depth: depthOf(stmt),
    });
    inserts.push({
      at: stmt.getEnd(),
      text: ` } finally { __hotloopCounters[${slot}] += ${local}; if (${token} >= 0) __hotloopExit(${slot}, ${token}, ${local}); } }`,
      kind: 'close',
      other: stmt.getStart(sf),
      depth: depthOf(stmt),
    });
    const body = node.statement;
    if (ts.isBlock(body)) inserts.push({ at: body.getStart(sf) + 1, text: ` ${local}++;` });
    else {
      inserts.push({
        at: body.getStart(sf),
        text: `{ ${local}++; `,
        kind: 'open',
        other: body.getEnd(),
        depth: depthOf(body) - 0.5,
      });
      inserts.push({
        at: body.getEnd(),
        text: ' }',
        kind: 'close',
        other: body.getStart(sf),
        depth: depthOf(body) - 0.5,
      });
    }
    return names;
  }
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    const receiver = node.expression.expression;
    inserts.push({
      at: receiver.getStart(sf),
      text: `__hotloopReceiver(${slot}, `,
      kind: 'open',
      other: receiver.getEnd(),
    });
    inserts.push({ at: receiver.getEnd(), text: `, ${pget})`, kind: 'close', other: receiver.getStart(sf) });
    const cb = node.arguments[0];
    if (cb && (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb))) {
      if (ts.isBlock(cb.body)) inserts.push({ at: cb.body.getStart(sf) + 1, text: ` ${count}` });
      else {
        inserts.push({
          at: cb.body.getStart(sf),
          text: `(__hotloopCounters[${slot}]++, `,
          kind: 'open',
          other: cb.body.getEnd(),
        });
        inserts.push({ at: cb.body.getEnd(), text: ')', kind: 'close', other: cb.body.getStart(sf) });
      }
    }
    return [receiver.getText(sf)];
  }
  return [];
}

/**
 * Returns a transform for the bundler that instruments `loops` (the top loops), and the slot table
 * that maps the recorded counters back to loop ids.
 */
export function shapesTransform(loops: readonly { readonly facts: LoopFacts; readonly absFile: string }[]): {
  transform: (file: string, text: string) => string | undefined;
  slots: ShapeSlot[];
} {
  const slots: ShapeSlot[] = [];
  const byFile = new Map<string, LoopFacts[]>();
  for (const { facts, absFile } of loops) {
    const key = resolve(absFile);
    byFile.set(key, [...(byFile.get(key) ?? []), facts]);
  }
  const transform = (file: string, text: string): string | undefined => {
    const facts = byFile.get(resolve(file));
    if (!facts) return undefined;
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const inserts: Insert[] = [];
    for (const loop of facts) {
      const node = findNode(sf, loop);
      if (!node) continue;
      const slot = slots.length;
      const sources = paramSources(loop, text);
      const arrays = instrumentLoop(sf, node, slot, arrayNames(loop), sources, inserts);
      slots.push({ slot, loopId: loop.id, arrays, params: (loop.kernel?.params ?? []).map((p) => p.name) });
    }
    if (inserts.length === 0) return undefined;
    // Bindings to the preload's hooks (no new line, so lines keep their numbers): after a directive
    // prologue ('use strict' must stay the first statement), else on the first line.
    // In another realm (jest's test context) the hooks come from process (see runtimeFiles.ts).
    const prelude =
      'const { __hotloopCounters, __hotloopEntries, __hotloopEnter, __hotloopExit, __hotloopReceiver } = globalThis.__hotloopEnter ? globalThis : process.__hotloopHooks(); ';
    const directives = sf.statements.filter((st, i) =>
      sf.statements
        .slice(0, i + 1)
        .every((x) => ts.isExpressionStatement(x) && ts.isStringLiteral(x.expression)),
    );
    if (directives.length) inserts.push({ at: directives.at(-1)!.getEnd(), text: `; ${prelude}` });
    // At one offset the text reads: closes (innermost wrapper first), plain inserts, opens (outermost
    // first). Applied from the end, where each insertion at an offset lands in front of the earlier ones.
    const rank = (x: Insert): number => (x.kind === 'close' ? 0 : x.kind === 'open' ? 2 : 1);
    const readOrder = (a: Insert, b: Insert): number =>
      rank(a) - rank(b) ||
      (b.other ?? 0) - (a.other ?? 0) ||
      (a.kind === 'close' ? -1 : 1) * ((a.depth ?? 0) - (b.depth ?? 0));
    const ordered = [...inserts].sort((a, b) => b.at - a.at || readOrder(b, a));
    let out = text;
    for (const ins of ordered) out = out.slice(0, ins.at) + ins.text + out.slice(ins.at);
    if (directives.length) return out;
    if (out.startsWith('#!')) {
      const eol = out.indexOf('\n') + 1;
      return eol > 0 ? out.slice(0, eol) + prelude + out.slice(eol) : out;
    }
    return prelude + out;
  };
  return { transform, slots };
}

interface RawShape {
  iterations: number;
  entries: number;
  arrays: (Omit<ArrayShape, 'name'> | null)[];
  shapes?: RawBucket[];
  otherCalls?: number;
}

interface ShapeAcc {
  entries: number;
  iterations: number;
  arrays: ArrayShape[];
  buckets: Map<string, BucketAcc>;
  otherCalls: number;
}

function mergeArrays(acc: ShapeAcc, raw: RawShape, s: ShapeSlot): void {
  raw.arrays.forEach((a, i) => {
    if (!a) return;
    const arrName = s.arrays[i] ?? `#${i}`;
    const prev = acc.arrays.find((x) => x.name === arrName);
    if (!prev) acc.arrays.push({ name: arrName, ...a });
    else
      acc.arrays[acc.arrays.indexOf(prev)] = {
        ...prev,
        minLength: Math.min(prev.minLength, a.minLength),
        maxLength: Math.max(prev.maxLength, a.maxLength),
      };
  });
}

/** Reads the shapes files of a run (one per thread) and sums them per loop id. */
export function readShapes(dir: string, slots: readonly ShapeSlot[]): Map<string, LoopShape> {
  const out = new Map<string, ShapeAcc>();
  if (!existsSync(dir)) return new Map();
  for (const name of readdirSync(dir)) {
    if (!/^shapes-\d+-\d+\.json$/.test(name)) continue;
    let data: Record<string, RawShape>;
    try {
      data = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Record<string, RawShape>;
    } catch {
      continue;
    }
    for (const s of slots) {
      const raw = data[String(s.slot)];
      if (!raw) continue;
      const acc = out.get(s.loopId) ?? {
        entries: 0,
        iterations: 0,
        arrays: [],
        buckets: new Map(),
        otherCalls: 0,
      };
      acc.entries += raw.entries;
      acc.iterations += raw.iterations;
      acc.otherCalls += raw.otherCalls ?? 0;
      mergeArrays(acc, raw, s);
      mergeBuckets(acc.buckets, raw.shapes ?? [], s.params ?? []);
      out.set(s.loopId, acc);
    }
  }
  const shapes = new Map<string, LoopShape>();
  for (const [id, acc] of out) {
    const histogram = finishHistogram(acc.buckets, acc.entries, acc.otherCalls);
    const base = { entries: acc.entries, iterations: acc.iterations, arrays: acc.arrays };
    shapes.set(
      id,
      histogram.length
        ? {
            ...base,
            params: histogram[0]!.params,
            histogram,
            ...(acc.otherCalls ? { otherCalls: acc.otherCalls } : {}),
          }
        : base,
    );
  }
  return shapes;
}
