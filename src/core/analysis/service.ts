// The analysis service behind code lenses: results cached per (file, version), and the TS program
// of the previous version reused (unchanged files, lib files and program structure) on each edit.
import { resolve } from 'node:path';
import type { Logger } from '../logger.js';
import { analyzeSourceFile } from './analyzeFile.js';
import { createAnalysisProgram, parseSource } from './program.js';
import type { ts } from './ts.js';
import type { FileAnalysis } from './types.js';
import { displayName } from './names.js';

export interface AnalysisServiceOptions {
  /** Ids and `file` fields are relative to this folder. */
  readonly rootDir?: string;
  /** Follow imports to other workspace files so that imported helpers can be inlined (default true). */
  readonly resolveImports?: boolean;
  readonly logger?: Logger;
}

export interface AnalysisDocument {
  readonly fileName: string;
  readonly version: number;
  readonly text: string;
}

export interface AnalysisService {
  /** Facts for a document version (cached; a new version re-analyses incrementally). */
  analyzeDocument(doc: AnalysisDocument): FileAnalysis;
  dispose(): void;
}

interface Entry {
  version: number;
  text: string;
  sf: ts.SourceFile;
  program: ts.Program;
  result: FileAnalysis;
}

/** Creates the service the extension calls on every lens refresh. */
export function createAnalysisService(options: AnalysisServiceOptions = {}): AnalysisService {
  const entries = new Map<string, Entry>();
  const noResolve = options.resolveImports === false;
  let lastProgram: ts.Program | undefined;
  return {
    analyzeDocument(doc) {
      const abs = resolve(doc.fileName);
      const prev = entries.get(abs);
      if (prev && prev.version === doc.version && prev.text === doc.text) return prev.result;
      const sf = prev?.text === doc.text ? prev.sf : parseSource(abs, doc.text);
      const overlay = new Map([[abs, sf]]);
      const program = createAnalysisProgram({ rootNames: [abs], overlay, noResolve, ...(prev ?? lastProgram ? { oldProgram: prev?.program ?? lastProgram } : {}) });
      lastProgram = program;
      const result = analyzeSourceFile(program, program.getSourceFile(abs) ?? sf, displayName(abs, doc.fileName, options.rootDir));
      entries.set(abs, { version: doc.version, text: doc.text, sf, program, result });
      options.logger?.trace(`analysed ${doc.fileName}@${doc.version}: ${result.loops.length} loops`);
      return result;
    },
    dispose() {
      entries.clear();
      lastProgram = undefined;
    },
  };
}
