// A unified diff of known text edits (what `hotloop apply --dry-run` prints and the reverse patch
// records). The edits say where the text changed, so no general diff algorithm is needed: each
// edit's whole lines before and after, trimmed of equal lines at both ends, with 3 lines of context.
import type { TextEdit } from '../advice/apply.js';

interface Region {
  /** Old lines [oldFrom, oldTo) became new lines [newFrom, newTo). */
  oldFrom: number;
  oldTo: number;
  newFrom: number;
  newTo: number;
}

/** Lines with their terminators (the last one may have none). */
function splitLines(text: string): string[] {
  const out = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  return out;
}

/** Index of the line holding offset `pos`, from the sorted line-start offsets. */
function lineAt(starts: readonly number[], pos: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Start offsets of the lines, plus the end of the text when it ends with a newline (an empty last line). */
function lineStarts(lines: readonly string[]): number[] {
  const starts = [0];
  for (const l of lines) if (l.endsWith('\n')) starts.push(starts.at(-1)! + l.length);
  return starts;
}

function regions(before: string, after: string, edits: readonly TextEdit[]): Region[] {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  const oldLines = splitLines(before);
  const newLines = splitLines(after);
  const oldStarts = lineStarts(oldLines);
  const newStarts = lineStarts(newLines);
  const out: Region[] = [];
  let shift = 0;
  for (const e of sorted) {
    const ns = e.start + shift;
    const oldN = oldLines.length;
    const newN = newLines.length;
    const r: Region = {
      oldFrom: Math.min(oldN, lineAt(oldStarts, e.start)),
      oldTo: Math.min(oldN, lineAt(oldStarts, e.end) + 1),
      newFrom: Math.min(newN, lineAt(newStarts, ns)),
      newTo: Math.min(newN, lineAt(newStarts, ns + e.newText.length) + 1),
    };
    shift += e.newText.length - (e.end - e.start);
    const last = out.at(-1);
    if (last && r.oldFrom < last.oldTo) {
      last.oldTo = Math.max(last.oldTo, r.oldTo);
      last.newTo = Math.max(last.newTo, r.newTo);
    } else out.push(r);
  }
  return out;
}

const show = (line: string): string =>
  line.endsWith('\n') ? line : `${line}\n\\ No newline at end of file\n`;

/** A unified diff (`--- a/path`, `+++ b/path`, `@@` hunks) of `before` → `applyTextEdits(before, edits)`. */
export function unifiedDiff(
  path: string,
  before: string,
  after: string,
  edits: readonly TextEdit[],
  context = 3,
): string {
  const a = splitLines(before);
  const b = splitLines(after);
  const rs = regions(before, after, edits)
    .map((r) => {
      const t = { ...r };
      while (t.oldFrom < t.oldTo && t.newFrom < t.newTo && a[t.oldFrom] === b[t.newFrom]) {
        t.oldFrom++;
        t.newFrom++;
      }
      while (t.oldTo > t.oldFrom && t.newTo > t.newFrom && a[t.oldTo - 1] === b[t.newTo - 1]) {
        t.oldTo--;
        t.newTo--;
      }
      return t;
    })
    .filter((r) => r.oldTo > r.oldFrom || r.newTo > r.newFrom);
  if (!rs.length) return '';
  // Group regions whose context overlaps into hunks.
  const hunks: Region[][] = [];
  for (const r of rs) {
    const h = hunks.at(-1);
    if (h && r.oldFrom - h.at(-1)!.oldTo <= 2 * context) h.push(r);
    else hunks.push([r]);
  }
  let out = `--- a/${path}\n+++ b/${path}\n`;
  for (const h of hunks) {
    const first = h[0]!;
    const last = h.at(-1)!;
    const oFrom = Math.max(0, first.oldFrom - context);
    const nFrom = first.newFrom - (first.oldFrom - oFrom);
    const oTo = Math.min(a.length, last.oldTo + context);
    const nTo = last.newTo + (oTo - last.oldTo);
    out += `@@ -${oFrom + (oTo > oFrom ? 1 : 0)},${oTo - oFrom} +${nFrom + (nTo > nFrom ? 1 : 0)},${nTo - nFrom} @@\n`;
    let at = oFrom;
    for (const r of h) {
      for (; at < r.oldFrom; at++) out += ` ${show(a[at]!)}`;
      for (let i = r.oldFrom; i < r.oldTo; i++) out += `-${show(a[i]!)}`;
      for (let i = r.newFrom; i < r.newTo; i++) out += `+${show(b[i]!)}`;
      at = r.oldTo;
    }
    for (; at < oTo; at++) out += ` ${show(a[at]!)}`;
  }
  return out;
}
