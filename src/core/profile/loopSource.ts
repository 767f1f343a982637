// Source lookups of attribution: the innermost loop at a line, loop source text by range, the loop
// a callee was called from, and whether a loop awaits inside.
import { readFileSync } from 'node:fs';
import type { LoopFacts } from '../analysis/types.js';

/** Innermost loop of `loops` containing a zero-based line. */
export function innermost(loops: readonly LoopFacts[], line: number): LoopFacts | undefined {
  let best: LoopFacts | undefined;
  for (const l of loops) {
    if (line < l.range.start.line || line > l.range.end.line) continue;
    if (
      !best ||
      l.depth > best.depth ||
      (l.depth === best.depth && l.range.start.line > best.range.start.line)
    )
      best = l;
  }
  return best;
}

export type LoopText = (file: string, loop: LoopFacts) => string | undefined;

/** Loop source text by range, reading each file once per attribution. */
export function loopTexts(): LoopText {
  const sources = new Map<string, { text: string; lineStarts: number[] } | undefined>();
  return (file, l) => {
    if (!sources.has(file)) {
      try {
        const text = readFileSync(file, 'utf8');
        const lineStarts = [0];
        for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) === 10) lineStarts.push(k + 1);
        sources.set(file, { text, lineStarts });
      } catch {
        sources.set(file, undefined);
      }
    }
    const src = sources.get(file);
    if (!src) return undefined;
    const from = (src.lineStarts[l.range.start.line] ?? 0) + l.range.start.character;
    const to = (src.lineStarts[l.range.end.line] ?? src.text.length) + l.range.end.character;
    return src.text.slice(from, to);
  };
}

/**
 * The loop of a caller frame that a callee was called from. A profile has no call-site lines, so:
 * the innermost loop of the caller's function (same file, starting after the function, named like it)
 * whose source text calls the callee by name.
 */
export function callSiteFinder(
  loopsByFile: ReadonlyMap<string, readonly LoopFacts[]>,
  text: LoopText,
): (
  caller: { readonly fnKey: string | undefined },
  callerName: string,
  calleeName: string,
) => LoopFacts | undefined {
  const memo = new Map<string, LoopFacts | undefined>();
  return (caller, callerName, calleeName) => {
    const name = calleeName.split('.').pop() ?? '';
    if (!/^[\w$]+$/.test(name) || !caller.fnKey) return undefined;
    const key = `${caller.fnKey}\u0000${name}`;
    if (memo.has(key)) return memo.get(key);
    const [file = '', startLine = '-1'] = caller.fnKey.split('\u0000');
    const fnLine = Number(startLine);
    const shortName = callerName.split('.').pop() ?? '';
    // Bundlers rename clashing functions (`get` → `get2`): accept the name without the suffix too.
    const names = [...new Set([name, name.replace(/\d+$/, '')])]
      .filter(Boolean)
      .map((n) => n.replace(/\$/g, '\\$'));
    const call = new RegExp(`(?:^|[^\\w$])(?:${names.join('|')})\\s*(?:<[^>]*>)?\\(`);
    let best: LoopFacts | undefined;
    for (const l of loopsByFile.get(file) ?? []) {
      if (l.range.start.line < fnLine) continue;
      const loopFn = l.functionName.split(/[./]/).pop() ?? '';
      if (
        shortName
          ? loopFn !== shortName && loopFn !== shortName.replace(/\d+$/, '')
          : !/^<(module|anonymous)/.test(loopFn)
      )
        continue;
      if (!call.test(text(file, l) ?? '')) continue;
      if (!best || l.depth > best.depth) best = l;
    }
    memo.set(key, best);
    return best;
  };
}

/** Whether a loop waits inside (`await`, `for await`): idle time is charged to such loops. */
export function awaitFinder(
  loopsByFile: ReadonlyMap<string, readonly LoopFacts[]>,
  text: LoopText,
): (loop: LoopFacts) => boolean {
  const memo = new Map<string, boolean>();
  for (const [file, loops] of loopsByFile)
    for (const l of loops) memo.set(l.id, /\bawait\b/.test(text(file, l) ?? ''));
  return (loop) => memo.get(loop.id) ?? false;
}
