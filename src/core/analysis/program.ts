// Building TypeScript programs for analysis. Lib files (and unchanged workspace files) are parsed
// once per process and shared between programs: they are immutable, and re-parsing lib.es2023 on
// every keystroke would blow the lens budget.
import { readFileSync, statSync } from 'node:fs';
import { DEFAULT_MAX_FILE_BYTES, readSourceFile } from './fileGuard.js';
import { analysisCompilerOptions, scriptKindOf, ts } from './ts.js';

const libCache = new Map<string, ts.SourceFile>();
const diskCache = new Map<string, { mtimeMs: number; sf: ts.SourceFile }>();

function parse(fileName: string, text: string): ts.SourceFile {
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, scriptKindOf(fileName));
}

function fromDisk(fileName: string, maxBytes: number): ts.SourceFile | undefined {
  const isLib = fileName.includes('/node_modules/typescript/lib/');
  if (isLib) {
    const hit = libCache.get(fileName);
    if (hit) return hit;
  }
  let mtimeMs: number;
  try {
    const st = statSync(fileName);
    // Imports too: never read a device, a FIFO (it would block) or a file over the cap.
    if (!st.isFile() || (!isLib && st.size > maxBytes)) return undefined;
    mtimeMs = st.mtimeMs;
  } catch {
    return undefined;
  }
  const cached = diskCache.get(fileName);
  if (cached && cached.mtimeMs === mtimeMs) return cached.sf;
  let text: string;
  try {
    text = readFileSync(fileName, 'utf8');
  } catch {
    return undefined;
  }
  const sf = parse(fileName, text);
  if (isLib) libCache.set(fileName, sf);
  else diskCache.set(fileName, { mtimeMs, sf });
  return sf;
}

/** package.json / tsconfig reads of module resolution: regular files within 2 MB only. */
function readText(f: string): string | undefined {
  const r = readSourceFile(f, DEFAULT_MAX_FILE_BYTES);
  return r.ok ? r.text : undefined;
}

export interface ProgramRequest {
  /** Files the program is rooted at. */
  readonly rootNames: readonly string[];
  /** Source files whose text the caller holds (open documents, single-file analysis). */
  readonly overlay: ReadonlyMap<string, ts.SourceFile>;
  /** When true, imports are not followed (single-file analysis). */
  readonly noResolve: boolean;
  readonly oldProgram?: ts.Program;
  /** Imported files larger than this are not read (default: the analysis size cap). */
  readonly maxFileBytes?: number;
}

/** Parses `text` as `fileName` (kind from the extension, parent pointers set). */
export function parseSource(fileName: string, text: string): ts.SourceFile {
  return parse(fileName, text);
}

/** A program over the overlay plus files read from disk (imports followed unless `noResolve`). */
export function createAnalysisProgram(req: ProgramRequest): ts.Program {
  const options = analysisCompilerOptions(req.noResolve);
  const host: ts.CompilerHost = {
    getSourceFile: (fileName) =>
      req.overlay.get(fileName) ?? fromDisk(fileName, req.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES),
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    writeFile: () => undefined,
    getCurrentDirectory: () => process.cwd(),
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (f) => req.overlay.has(f) || ts.sys.fileExists(f),
    readFile: (f) => req.overlay.get(f)?.text ?? readText(f),
    directoryExists: (d) => ts.sys.directoryExists(d),
    getDirectories: (d) => ts.sys.getDirectories(d),
  };
  return ts.createProgram({ rootNames: req.rootNames, options, host, oldProgram: req.oldProgram });
}

/** Drops the parsed lib and disk files (benchmarks measure a cold start with it). */
export function clearProgramCaches(): void {
  libCache.clear();
  diskCache.clear();
}
