// The analysis service behind code lenses: results cached per (file, version); on a new version the
// text is re-parsed incrementally, the previous program is reused, and only functions whose code
// (or the top-level declarations they name) changed are analysed again.
import { resolve } from 'node:path';
import type { Logger } from '../logger.js';
import { analyzeSourceFile } from './analyzeFile.js';
import type { FunctionCache } from './fnCache.js';
import { displayName } from './names.js';
import { createAnalysisProgram, parseSource } from './program.js';
import { ts } from './ts.js';
import type { FileAnalysis } from './types.js';

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
  cache: FunctionCache;
  arrays: Map<string, boolean>;
}

/** The one changed span between two texts (common prefix and suffix), for incremental parsing. */
function changeRange(a: string, b: string): ts.TextChangeRange {
  let p = 0;
  const max = Math.min(a.length, b.length);
  while (p < max && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
  return ts.createTextChangeRange(ts.createTextSpan(p, a.length - s - p), b.length - s - p);
}

const fileIds = new WeakMap<ts.SourceFile, number>();
let nextFileId = 0;

/** Changes whenever another (non-lib) file of the program is re-read: imported helpers may have changed. */
function dependencyStamp(program: ts.Program, self: string): string {
  const ids: number[] = [];
  for (const f of program.getSourceFiles()) {
    if (f.fileName === self || program.isSourceFileDefaultLibrary(f)) continue;
    let id = fileIds.get(f);
    if (id === undefined) {
      id = nextFileId++;
      fileIds.set(f, id);
    }
    ids.push(id);
  }
  return ids.join(',');
}

/** Creates the service the extension calls on every lens refresh. */
export function createAnalysisService(options: AnalysisServiceOptions = {}): AnalysisService {
  const entries = new Map<string, Entry>();
  const noResolve = options.resolveImports === false;
  let lastProgram: ts.Program | undefined;
  const namesMemo = new Map<string, readonly string[]>();
  return {
    analyzeDocument(doc) {
      const abs = resolve(doc.fileName);
      const prev = entries.get(abs);
      if (prev && prev.version === doc.version && prev.text === doc.text) return prev.result;
      let sf: ts.SourceFile;
      if (prev?.text === doc.text) sf = prev.sf;
      else if (prev) sf = ts.updateSourceFile(prev.sf, doc.text, changeRange(prev.text, doc.text));
      else sf = parseSource(abs, doc.text);
      const oldProgram = prev?.program ?? lastProgram;
      const program = createAnalysisProgram({
        rootNames: [abs],
        overlay: new Map([[abs, sf]]),
        noResolve,
        ...(oldProgram ? { oldProgram } : {}),
      });
      lastProgram = program;
      const store: FunctionCache = new Map();
      const arrayStore = new Map<string, boolean>();
      const result = analyzeSourceFile(
        program,
        program.getSourceFile(abs) ?? sf,
        displayName(abs, doc.fileName, options.rootDir),
        {
          ...(prev ? { cache: prev.cache, arrayMemo: prev.arrays } : {}),
          store,
          arrayStore,
          namesMemo,
          dependencyStamp: dependencyStamp(program, abs),
        },
      );
      if (namesMemo.size > 20_000) namesMemo.clear();
      entries.set(abs, {
        version: doc.version,
        text: doc.text,
        sf,
        program,
        result,
        cache: store,
        arrays: arrayStore,
      });
      options.logger?.trace(`analysed ${doc.fileName}@${doc.version}: ${result.loops.length} loops`);
      return result;
    },
    dispose() {
      entries.clear();
      namesMemo.clear();
      lastProgram = undefined;
    },
  };
}
