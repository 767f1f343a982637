// Loop facts for attribution: the engine's analysis of each original file, ids relative to the root
// (so they match the lenses' and the tree's ids). One analysis service per root is kept for the
// process: it reuses the compiler's lib files between profiles (a fresh program per file costs
// seconds, a cached one milliseconds) and re-analyses a file only when its text changed.
import { readFileSync } from 'node:fs';
import type { AnalysisService } from '../analysis/index.js';
import { createAnalysisService } from '../analysis/index.js';
import type { LoopFacts } from '../analysis/types.js';
import type { LoopsFor } from './options.js';

interface Cached {
  readonly service: AnalysisService;
  readonly versions: Map<string, { text: string; version: number }>;
}

/** A cache, not state: bounded to a few roots, evicted oldest first. */
const services = new Map<string, Cached>();
const MAX_ROOTS = 4;

function serviceFor(root: string): Cached {
  let cached = services.get(root);
  if (!cached) {
    cached = {
      service: createAnalysisService({ rootDir: root, resolveImports: false }),
      versions: new Map(),
    };
    services.set(root, cached);
    if (services.size > MAX_ROOTS) {
      const [oldest] = services.keys();
      if (oldest !== undefined) {
        services.get(oldest)?.service.dispose();
        services.delete(oldest);
      }
    }
  }
  return cached;
}

/** A LoopsFor over the static analysis (JS and TS files only). */
export function analysisLoops(root: string): LoopsFor {
  return (absFile) => {
    if (!/\.[cm]?[jt]sx?$/.test(absFile)) return Promise.resolve(undefined);
    let text: string;
    try {
      text = readFileSync(absFile, 'utf8');
    } catch {
      return Promise.resolve(undefined);
    }
    const { service, versions } = serviceFor(root);
    const prev = versions.get(absFile);
    const version = prev && prev.text === text ? prev.version : (prev?.version ?? 0) + 1;
    versions.set(absFile, { text, version });
    const loops: readonly LoopFacts[] = service.analyzeDocument({ fileName: absFile, version, text }).loops;
    return Promise.resolve(loops);
  };
}
