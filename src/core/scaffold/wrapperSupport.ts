// `locate.ts`, shared by every scaffold's wrapper: finds the folder's build artefacts wherever the
// importer's resolver landed (the source `index.ts` under tsx/vitest/ts-node/jest, or `dist/index.js`,
// ESM or CommonJS) by searching relative to this module's own file — never the cwd — and makes a
// fallback to the original loud: `HOTLOOP_STRICT=1` turns it into an error (the folder's check and
// Hotloop's tests set it). No `import.meta` (a CommonJS host cannot type-check it) and nothing that
// needs the DOM lib, enums, namespaces or parameter properties.

/** `locate.ts` of a scaffold folder. */
export const LOCATE_TS = `import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This module's own file, from V8's call sites: a path (CommonJS, jest, ts-node) or a file: URL (ESM, tsx, vitest). */
function ownFile(): string | undefined {
  const previous = Error.prepareStackTrace;
  try {
    Error.prepareStackTrace = (_error, frames) => frames;
    const frames = new Error().stack as unknown as NodeJS.CallSite[] | undefined;
    const name = Array.isArray(frames) ? frames[0]?.getFileName() : undefined;
    if (!name) return undefined;
    return name.startsWith('file:') ? fileURLToPath(name) : name;
  } finally {
    Error.prepareStackTrace = previous;
  }
}

/** The folders an artefact may be in: this file's folder, its dist/, and its parent (this file in dist/). */
export function searchDirs(): string[] {
  const file = ownFile();
  if (!file) return [];
  const here = dirname(file);
  return [here, join(here, 'dist'), dirname(here), join(dirname(here), 'dist')];
}

/** The first existing \`relative\` path under the search folders, or undefined. */
export function findArtefact(...relative: string[]): string | undefined {
  for (const dir of searchDirs()) {
    for (const r of relative) {
      const p = join(dir, r);
      if (existsSync(p)) return p;
    }
  }
  return undefined;
}

/** Where \`findArtefact\` looked, for messages. */
export function searched(...relative: string[]): string {
  return searchDirs().flatMap((d) => relative.map((r) => join(d, r))).join(', ');
}

/** True when HOTLOOP_STRICT=1: a fallback to the original throws instead of warning. */
export function strict(): boolean {
  return typeof process !== 'undefined' && process.env.HOTLOOP_STRICT === '1';
}

const warned = new Set<string>();
let count = 0;

/** Fallbacks to the original JavaScript in this process so far (whole loads and single calls). */
export function fallbackCount(): number {
  return count;
}

/**
 * Reports a fallback to the original: throws under HOTLOOP_STRICT=1, else one process warning per
 * kernel and reason (code HOTLOOP_FALLBACK). Never silent.
 */
export function fallback(kernel: string, target: string, why: string): void {
  count++;
  const message = 'hotloop: the ' + target + ' fast path of ' + kernel + ' is not used (' + why + '); running the original JavaScript.';
  if (strict()) throw new Error(message + ' (HOTLOOP_STRICT=1)');
  const key = kernel + '\\0' + why;
  if (warned.has(key)) return;
  warned.add(key);
  process.emitWarning(message, { code: 'HOTLOOP_FALLBACK' });
}
`;
