// Script URL in a profile → local file → its source map (linked, `.map` beside it, or inline) →
// original file and line. Scripts without a map are their own original.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TraceMap, decodedMappings, originalPositionFor } from '@jridgewell/trace-mapping';

export interface OriginalLine {
  /** Absolute path of the original file. */
  readonly file: string;
  /** Zero-based. */
  readonly line: number;
}

/** A file path for a profile URL (`file:///…` or an absolute path); undefined for node internals etc. */
export function urlToPath(url: string): string | undefined {
  if (url.startsWith('file://')) {
    try {
      return fileURLToPath(url);
    } catch {
      return undefined;
    }
  }
  if (isAbsolute(url)) return url;
  return undefined;
}

class ScriptMap {
  private readonly lineCache = new Map<number, OriginalLine | undefined>();
  constructor(
    private readonly path: string,
    private readonly map: TraceMap | undefined,
  ) {}

  /** Original line of a zero-based generated line (the first mapped segment on it). */
  line(generatedLine0: number): OriginalLine | undefined {
    if (!this.map) return { file: this.path, line: generatedLine0 };
    if (this.lineCache.has(generatedLine0)) return this.lineCache.get(generatedLine0);
    const segments = decodedMappings(this.map)[generatedLine0];
    let out: OriginalLine | undefined;
    for (const seg of segments ?? []) {
      if (seg.length < 4) continue;
      const [, sourceIndex, line] = seg;
      const source = sourceIndex === undefined ? undefined : this.map.resolvedSources[sourceIndex];
      if (source !== undefined && line !== undefined) {
        out = { file: toPath(source), line };
        break;
      }
    }
    this.lineCache.set(generatedLine0, out);
    return out;
  }

  /** Original position of a zero-based generated line/column (function starts). */
  position(line0: number, column0: number): OriginalLine | undefined {
    if (!this.map) return { file: this.path, line: line0 };
    const pos = originalPositionFor(this.map, { line: line0 + 1, column: column0 });
    if (pos.source === null) return this.line(line0);
    return { file: toPath(pos.source), line: pos.line - 1 };
  }
}

function toPath(source: string): string {
  return source.startsWith('file://') ? fileURLToPath(source) : source;
}

function loadMap(path: string, text: string): TraceMap | undefined {
  const m = /\/\/[#@] sourceMappingURL=(\S+)\s*$/.exec(text.slice(-4096));
  try {
    if (m) {
      const ref = m[1]!;
      if (ref.startsWith('data:')) {
        const comma = ref.indexOf(',');
        const payload = ref.slice(comma + 1);
        const json = ref.slice(0, comma).endsWith(';base64')
          ? Buffer.from(payload, 'base64').toString('utf8')
          : decodeURIComponent(payload);
        return new TraceMap(json, path);
      }
      const mapPath = ref.startsWith('file://') ? fileURLToPath(ref) : resolve(dirname(path), ref);
      if (existsSync(mapPath)) return new TraceMap(readFileSync(mapPath, 'utf8'), mapPath);
    }
    if (existsSync(`${path}.map`)) return new TraceMap(readFileSync(`${path}.map`, 'utf8'), `${path}.map`);
  } catch {
    return undefined;
  }
  return undefined;
}

/** Caches one map per script URL for an attribution pass. */
export class SourceMapCache {
  private readonly scripts = new Map<string, ScriptMap | undefined>();

  /** `runtime`: inline maps (`data:` URLs) of scripts compiled in memory, by absolute path. */
  constructor(private readonly runtime: ReadonlyMap<string, string> = new Map()) {}

  /** The map of a script URL; undefined when the script is not a local file. */
  get(url: string): ScriptMap | undefined {
    if (this.scripts.has(url)) return this.scripts.get(url);
    const path = urlToPath(url);
    let script: ScriptMap | undefined;
    if (path && existsSync(path)) {
      let text = '';
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        /* unreadable: no map */
      }
      const inMemory = this.runtime.get(path);
      script = new ScriptMap(path, loadMap(path, inMemory ? `//# sourceMappingURL=${inMemory}` : text));
    }
    this.scripts.set(url, script);
    return script;
  }
}

/** The runtime maps the preloads wrote (`runtime-maps.jsonl` in a run's folder), by file; the last one wins. */
export function readRuntimeMaps(file: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(file)) return out;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    try {
      const r = JSON.parse(line) as { file?: unknown; map?: unknown };
      if (typeof r.file === 'string' && typeof r.map === 'string' && r.map.startsWith('data:'))
        out.set(r.file, r.map);
    } catch {
      /* a torn or empty line */
    }
  }
  return out;
}

export type { ScriptMap };
