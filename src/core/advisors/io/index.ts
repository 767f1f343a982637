// The IO advisor: `await` in a loop over independent items → bounded concurrency, in order.
import type { TextEdit } from '../types.js';
import { adviseIoLoops, type IoAdvisorOptions } from './detect.js';
import type { IoLoopFinding } from './types.js';

export { adviseIoLoops, type IoAdvisorOptions } from './detect.js';
export { DEFAULT_IO_CONCURRENCY, ioSummary } from './types.js';
export type { IoLoopFinding, IoLoopKind, IoRewrite, IoVerdict } from './types.js';
export type { TextEdit } from '../types.js';

/** The edits that rewrite `findings`' independent loops (the helper once), sorted by position. */
export function ioEdits(findings: readonly IoLoopFinding[]): TextEdit[] {
  const edits: TextEdit[] = [];
  let helper: TextEdit | undefined;
  for (const f of findings) {
    if (f.verdict.kind !== 'independent') continue;
    edits.push(f.verdict.rewrite.loop);
    helper ??= f.verdict.rewrite.helper;
  }
  if (helper) edits.push(helper);
  return edits.sort((a, b) => a.start - b.start);
}

/** Applies non-overlapping edits to `text` (an edit inside another is dropped: nested loops). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = '';
  let at = 0;
  for (const e of [...edits].sort((a, b) => a.start - b.start)) {
    if (e.start < at) continue;
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}
export { adviseIoFiles } from './files.js';

/** `text` with every independent awaiting loop rewritten (and the helper appended once). */
export function rewriteIoSource(
  fileName: string,
  text: string,
  options: IoAdvisorOptions = {},
): { text: string; rewritten: number } {
  const findings = adviseIoLoops(fileName, text, options);
  const rewritten = findings.filter((f) => f.verdict.kind === 'independent').length;
  return { text: applyEdits(text, ioEdits(findings)), rewritten };
}
