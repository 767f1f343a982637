// Public API of loop analysis: source → Loop facts (+ Kernel IR for translatable loops).
import { resolve } from 'node:path';
import type { Logger } from '../logger.js';
import { analyzeSourceFile } from './analyzeFile.js';
import { displayName } from './names.js';
import { DEFAULT_FILE_BUDGET_MS, DEFAULT_MAX_FILE_BYTES, failureText, readSourceFile } from './fileGuard.js';
import { createAnalysisProgram, parseSource } from './program.js';
import type { ts } from './ts.js';
import type { FileAnalysis } from './types.js';
import { expandPaths } from './walk.js';

export type { AnalysisDocument, AnalysisService, AnalysisServiceOptions } from './service.js';
export { createAnalysisService } from './service.js';
export { tsVersion } from './ts.js';
export { DEFAULT_MAX_FILE_BYTES } from './fileGuard.js';
export type * from './types.js';

export interface AnalyzeOptions {
  /** Ids and `file` fields are relative to this folder. */
  readonly rootDir?: string;
}

/** Analyses one file's text (TS or JS). Never throws on bad code: parse errors become diagnostics. */
export function analyzeSource(file: string, text: string, options: AnalyzeOptions = {}): FileAnalysis {
  const abs = resolve(file);
  const sf = parseSource(abs, text);
  const program = createAnalysisProgram({
    rootNames: [abs],
    overlay: new Map([[abs, sf]]),
    noResolve: false,
  });
  return analyzeSourceFile(program, sf, displayName(abs, file, options.rootDir));
}

export interface AnalyzePathOptions extends AnalyzeOptions {
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
  /** Globs (relative to each folder given) to skip, e.g. `**\/generated/**`. */
  readonly exclude?: string[];
  /** Files larger than this are skipped with a diagnostic (default 2 MB). */
  readonly maxFileBytes?: number;
  /** Wall-clock budget per file (default 30 s): the analysis stops between loops once spent. */
  readonly fileBudgetMs?: number;
}

const skippedFile = (
  name: string,
  message: string,
  severity: 'warning' | 'error' = 'warning',
): FileAnalysis => ({ schema: 1, file: name, loops: [], diagnostics: [{ file: name, severity, message }] });

/**
 * Analyses files and folders (skipping node_modules, build output and `.gitignore`d paths) in one
 * program, so helpers imported from other analysed files can be inlined. One bad file never fails
 * the others: special files, files over the size cap and too deeply nested code are skipped with a
 * diagnostic, and an error while analysing a file (a stack overflow included) becomes its diagnostic.
 */
export async function analyzePath(
  paths: string[],
  options: AnalyzePathOptions = {},
): Promise<FileAnalysis[]> {
  const files = await expandPaths(paths, {
    ...(options.exclude ? { exclude: options.exclude } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  options.logger?.info(`analysing ${files.length} file(s)`);
  const out: FileAnalysis[] = new Array<FileAnalysis>(files.length);
  const overlay = new Map<string, ts.SourceFile>();
  const todo: { k: number; abs: string; name: string }[] = [];
  for (let k = 0; k < files.length; k++) {
    const abs = resolve(files[k]!);
    const name = displayName(abs, files[k]!, options.rootDir);
    const read = readSourceFile(abs, maxFileBytes);
    if (!read.ok) {
      out[k] = skippedFile(name, read.reason);
      continue;
    }
    try {
      overlay.set(abs, parseSource(abs, read.text));
      todo.push({ k, abs, name });
    } catch (err) {
      out[k] = skippedFile(name, `analysis failed: ${failureText(err)}`, 'error');
    }
  }
  let program: ts.Program | undefined;
  try {
    program = createAnalysisProgram({
      rootNames: todo.map((t) => t.abs),
      overlay,
      noResolve: false,
      maxFileBytes,
    });
  } catch (err) {
    options.logger?.warn(
      `one program over ${todo.length} file(s) failed (${failureText(err)}); analysing each file alone`,
    );
  }
  const deadlineOf = (): number => Date.now() + (options.fileBudgetMs ?? DEFAULT_FILE_BUDGET_MS);
  for (const t of todo) {
    options.signal?.throwIfAborted();
    try {
      const p =
        program ??
        createAnalysisProgram({
          rootNames: [t.abs],
          overlay: new Map([[t.abs, overlay.get(t.abs)!]]),
          noResolve: true,
          maxFileBytes,
        });
      const sf = p.getSourceFile(t.abs);
      out[t.k] = sf
        ? analyzeSourceFile(p, sf, t.name, { deadline: deadlineOf() })
        : skippedFile(t.name, `cannot read ${files[t.k]}`, 'error');
    } catch (err) {
      out[t.k] = skippedFile(t.name, `analysis failed: ${failureText(err)}`, 'error');
    }
  }
  return out;
}
