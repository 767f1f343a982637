// Loop facts for attribution: the engine's analysis of each original file, ids relative to the root
// (so they match the lenses' and the tree's ids). One analysis per file per attribution.
import { readFileSync } from 'node:fs';
import { analyzeSource } from '../analysis/index.js';
import type { LoopFacts } from '../analysis/types.js';
import type { LoopsFor } from './index.js';

/** A LoopsFor over the static analysis, caching per file. */
export function analysisLoops(root: string): LoopsFor {
  const cache = new Map<string, Promise<readonly LoopFacts[] | undefined>>();
  return (absFile) => {
    let hit = cache.get(absFile);
    if (!hit) {
      hit = (async () => {
        await Promise.resolve();
        if (!/\.[cm]?[jt]sx?$/.test(absFile)) return undefined;
        let text: string;
        try {
          text = readFileSync(absFile, 'utf8');
        } catch {
          return undefined;
        }
        return analyzeSource(absFile, text, { rootDir: root }).loops;
      })();
      cache.set(absFile, hit);
    }
    return hit;
  };
}
