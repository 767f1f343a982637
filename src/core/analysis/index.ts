// Public API of loop analysis: source → Loop facts (+ Kernel IR for translatable loops).
import { resolve } from 'node:path';
import type { Logger } from '../logger.js';
import { analyzeSourceFile } from './analyzeFile.js';
import { displayName } from './names.js';
import { createAnalysisProgram, parseSource } from './program.js';
import type { FileAnalysis } from './types.js';
import { expandPaths } from './walk.js';

export type { AnalysisDocument, AnalysisService, AnalysisServiceOptions } from './service.js';
export { createAnalysisService } from './service.js';
export { tsVersion } from './ts.js';
export type * from './types.js';

export interface AnalyzeOptions {
  /** Ids and `file` fields are relative to this folder. */
  readonly rootDir?: string;
}

/** Analyses one file's text (TS or JS). Never throws on bad code: parse errors become diagnostics. */
export function analyzeSource(file: string, text: string, options: AnalyzeOptions = {}): FileAnalysis {
  const abs = resolve(file);
  const sf = parseSource(abs, text);
  const program = createAnalysisProgram({ rootNames: [abs], overlay: new Map([[abs, sf]]), noResolve: false });
  return analyzeSourceFile(program, sf, displayName(abs, file, options.rootDir));
}

export interface AnalyzePathOptions extends AnalyzeOptions {
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
  /** Globs (relative to each folder given) to skip, e.g. `**\/generated/**`. */
  readonly exclude?: string[];
}

/**
 * Analyses files and folders (skipping node_modules, build output and `.gitignore`d paths) in one
 * program, so helpers imported from other analysed files can be inlined.
 */
export async function analyzePath(paths: string[], options: AnalyzePathOptions = {}): Promise<FileAnalysis[]> {
  const files = await expandPaths(paths, { ...(options.exclude ? { exclude: options.exclude } : {}), ...(options.signal ? { signal: options.signal } : {}) });
  const abs = files.map((f) => resolve(f));
  options.logger?.info(`analysing ${files.length} file(s)`);
  const program = createAnalysisProgram({ rootNames: abs, overlay: new Map(), noResolve: false });
  const out: FileAnalysis[] = [];
  for (let k = 0; k < files.length; k++) {
    options.signal?.throwIfAborted();
    const file = files[k]!;
    const sf = program.getSourceFile(abs[k]!);
    const name = displayName(abs[k]!, file, options.rootDir);
    if (!sf) {
      out.push({ schema: 1, file: name, loops: [], diagnostics: [{ file: name, severity: 'error', message: `cannot read ${file}` }] });
      continue;
    }
    out.push(analyzeSourceFile(program, sf, name));
  }
  return out;
}
