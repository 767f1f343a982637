// Guards in front of analysing a file from disk (issue 19): regular files only (never /dev/zero, a
// FIFO or a socket, also through a symlink), a size cap, and a nesting-depth check before the
// recursive-descent parser and walkers see the text. Each refusal is a one-line reason that names
// the limit, e.g. "skipped: 20 MB > 2 MB cap".
import { closeSync, fstatSync, openSync, readSync, constants } from 'node:fs';
import { ts } from './ts.js';

/** Default size cap of `analyze` (setting `hotloop.analysis.maxFileSizeMB`, CLI `--max-file-size-mb`). */
export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;
/** Default wall-clock budget per file; the analysis stops between loops once it is spent. */
export const DEFAULT_FILE_BUDGET_MS = 30_000;
/** Brackets nested deeper than this are refused before parsing (the walkers recurse per level). */
export const MAX_BRACKET_DEPTH = 300;
/** Loops nested deeper than this are not analysed (the lowering is superlinear in loop depth). */
export const MAX_LOOP_DEPTH = 16;

export const mb = (bytes: number): string => {
  const v = bytes / (1024 * 1024);
  return `${v >= 10 ? Math.round(v) : Math.round(v * 10) / 10} MB`;
};

function kindOf(mode: number): string {
  const t = mode & constants.S_IFMT;
  if (t === constants.S_IFCHR) return 'a character device';
  if (t === constants.S_IFBLK) return 'a block device';
  if (t === constants.S_IFIFO) return 'a FIFO (named pipe)';
  if (t === constants.S_IFSOCK) return 'a socket';
  if (t === constants.S_IFDIR) return 'a folder';
  return 'not a regular file';
}

export type ReadResult =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };

/**
 * Reads a source file if it is a regular file within the cap. Opened with O_NONBLOCK so a FIFO
 * cannot block the open; the type and size are taken from the open descriptor (no race with a
 * swapped symlink), and at most cap + 1 bytes are ever read.
 */
export function readSourceFile(path: string, maxBytes = DEFAULT_MAX_FILE_BYTES): ReadResult {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    return {
      ok: false,
      reason: `skipped: cannot open (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
    };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, reason: `skipped: ${kindOf(st.mode)}, not a regular file` };
    if (st.size > maxBytes)
      return {
        ok: false,
        reason: `skipped: ${mb(st.size)} > ${mb(maxBytes)} cap (hotloop.analysis.maxFileSizeMB)`,
      };
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let got = 0;
    for (let n; got < buf.length && (n = readSync(fd, buf, got, buf.length - got, null)) > 0;) got += n;
    if (got > maxBytes)
      return { ok: false, reason: `skipped: grew past the ${mb(maxBytes)} cap while being read` };
    const text = buf.subarray(0, got).toString('utf8');
    const deep = nestingReason(text);
    return deep ? { ok: false, reason: deep } : { ok: true, text };
  } finally {
    closeSync(fd);
  }
}

/** The deepest bracket nesting of `text` ((, [, {), skipping comments and string literals (roughly). */
export function bracketDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 40 || c === 91 || c === 123) {
      if (++depth > max) max = depth;
    } else if (c === 41 || c === 93 || c === 125) {
      if (depth > 0) depth--;
    } else if (c === 47 && text.charCodeAt(k + 1) === 47) {
      const e = text.indexOf('\n', k);
      k = e < 0 ? text.length : e;
    } else if (c === 47 && text.charCodeAt(k + 1) === 42) {
      const e = text.indexOf('*/', k + 2);
      k = e < 0 ? text.length : e + 1;
    } else if (c === 34 || c === 39) {
      for (k++; k < text.length; k++) {
        const d = text.charCodeAt(k);
        if (d === 92) k++;
        else if (d === c || d === 10) break;
      }
    }
  }
  return max;
}

export function nestingReason(text: string): string | undefined {
  const d = bracketDepth(text);
  return d > MAX_BRACKET_DEPTH
    ? `skipped: brackets nested ${d} deep (limit ${MAX_BRACKET_DEPTH})`
    : undefined;
}

/** The deepest loop nesting under `node`, walked with an explicit stack (no recursion). */
export function loopDepth(node: ts.Node): number {
  let max = 0;
  const stack: [ts.Node, number][] = [[node, 0]];
  while (stack.length > 0) {
    const [n, d0] = stack.pop()!;
    const d = ts.isIterationStatement(n, false) ? d0 + 1 : d0;
    if (d > max) max = d;
    n.forEachChild((c) => void stack.push([c, d]));
  }
  return max;
}

/** A stack overflow's message with what it means for the user. */
export function failureText(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return err instanceof RangeError && /call stack/i.test(msg)
    ? `${msg} (the code is nested too deeply for the analysis; the file was skipped)`
    : msg;
}
