// Pure text of lenses, hovers and log tables for Loop facts (no `vscode` import: unit-tested).
import type { ElementType, FileAnalysis, LoopFacts } from '../../core/analysis/types.js';
import type { Pattern } from '../../core/ir/types.js';

/** How a pattern reads in a lens: "reduction over Float64Array". */
export function patternLabel(pattern: Pattern): string {
  switch (pattern) {
    case 'map':
      return 'map';
    case 'reduce':
      return 'reduction';
    case 'map-reduce':
      return 'map-reduce';
    case 'scan':
      return 'scan';
    case 'stencil':
      return 'stencil';
    case 'gemv':
      return 'matrix-vector product (gemv)';
    case 'gemm':
      return 'matrix product (gemm)';
    case 'conv':
      return 'convolution';
    case 'nested':
      return 'nested loop';
    default: {
      const never: never = pattern;
      return String(never);
    }
  }
}

/** Distinct known element types of the loop's arrays, in first-use order ("Float64Array", "number[]"). */
export function elementTypes(loop: LoopFacts): ElementType[] {
  const seen: ElementType[] = [];
  for (const a of loop.arrays) {
    if (a.elementType !== 'unknown' && !seen.includes(a.elementType)) seen.push(a.elementType);
  }
  return seen;
}

/** The analysis part of a lens: "reduction over Float64Array · translatable" or "not translatable — calls parse()". */
export function verdictText(loop: LoopFacts): string {
  const v = loop.verdict;
  if (!v.translatable) return `not translatable — ${v.reason}`;
  const types = elementTypes(loop);
  const over = types.length ? ` over ${types.join(', ')}` : '';
  return `${patternLabel(v.pattern)}${over} · translatable`;
}

/** A contributor's piece of a lens title; `placement` 'before' puts it ahead of the verdict (heat does). */
export interface TitleSegment {
  readonly text: string;
  readonly placement?: 'before' | 'after';
}

/** The full lens title: "Hotloop: " + before-segments · verdict · after-segments (empty texts skipped). */
export function lensTitle(loop: LoopFacts, segments: readonly TitleSegment[] = []): string {
  const clean = segments.filter((s) => s.text.trim() !== '');
  const before = clean.filter((s) => s.placement === 'before').map((s) => s.text);
  const after = clean.filter((s) => s.placement !== 'before').map((s) => s.text);
  return `Hotloop: ${[...before, verdictText(loop), ...after].join(' · ')}`;
}

/** Which loops get a lens under the current settings. */
export function loopsWithLens(loops: readonly LoopFacts[], showNotTranslatable: boolean): LoopFacts[] {
  return loops.filter((l) => showNotTranslatable || l.verdict.translatable);
}

/** The loop whose header is on `line` (0-based): the innermost one starting there. */
export function loopAtLine(loops: readonly LoopFacts[], line: number): LoopFacts | undefined {
  let best: LoopFacts | undefined;
  for (const l of loops) {
    if (l.range.start.line === line && (!best || l.depth > best.depth)) best = l;
  }
  return best;
}

const escapeMd = (s: string): string => s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;

/** Markdown for the hover on a loop header: every fact, one table row each. */
export function hoverMarkdown(loop: LoopFacts): string {
  const v = loop.verdict;
  const rows: [string, string][] = [];
  if (v.translatable) {
    rows.push(['pattern', `${escapeMd(patternLabel(v.pattern))} — translatable`]);
  } else {
    rows.push(['verdict', `not translatable (${code(v.code)})`]);
    rows.push(['reason', escapeMd(v.reason)]);
  }
  rows.push([
    'loop',
    `${code(loop.kind)} in ${code(loop.functionName)}${loop.depth ? `, nested at depth ${loop.depth}` : ''}`,
  ]);
  const arrays = loop.arrays.map((a) => {
    const access = a.read && a.written ? 'read/write' : a.written ? 'write' : 'read';
    return `${code(a.name)}: ${a.elementType} (${access})`;
  });
  rows.push(['arrays', arrays.length ? arrays.join(', ') : '—']);
  rows.push(['trip count', loop.tripCount ? code(loop.tripCount) : 'not statically known']);
  if (v.translatable) {
    rows.push([
      'evaluation order',
      v.orderSensitive
        ? 'order-sensitive: a float reduction; SIMD, threads or GPU reassociate it and need a stated tolerance'
        : 'order-insensitive: iterations can be reordered exactly',
    ]);
  }
  const inlined = loop.kernel?.inlined ?? [];
  if (inlined.length) rows.push(['inlined helpers', inlined.map((n) => code(`${n}()`)).join(', ')]);
  rows.push(['id', code(loop.id)]);
  const table = ['| | |', '|---|---|', ...rows.map(([k, val]) => `| ${k} | ${val} |`)].join('\n');
  return `**Hotloop** — ${escapeMd(verdictText(loop))}\n\n${table}`;
}

/** A plain-text table of a file's loops for the log: line, function, kind, verdict. */
export function loopTable(analysis: FileAnalysis): string {
  const header = ['line', 'function', 'kind', 'arrays', 'verdict'];
  const rows = analysis.loops.map((l) => [
    String(l.range.start.line + 1),
    `${'  '.repeat(l.depth)}${l.functionName}`,
    l.kind,
    l.arrays.map((a) => `${a.name}:${a.elementType}`).join(' ') || '—',
    verdictText(l),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** "5 loops, 3 translatable" (what Analyze file shows). */
export function summaryText(analyses: readonly FileAnalysis[]): string {
  const loops = analyses.flatMap((a) => a.loops);
  const ok = loops.filter((l) => l.verdict.translatable).length;
  return `${loops.length} ${loops.length === 1 ? 'loop' : 'loops'}, ${ok} translatable`;
}
