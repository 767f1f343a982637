// The IO advisor over analysed files: only files where the analysis saw an awaiting loop are read.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FileAnalysis } from '../../analysis/types.js';
import { adviseIoLoops, type IoAdvisorOptions } from './detect.js';
import type { IoLoopFinding } from './types.js';

/** IO findings of `files` (names relative to `rootDir`, as the analysis printed them). */
export async function adviseIoFiles(
  files: readonly FileAnalysis[],
  rootDir: string,
  options: IoAdvisorOptions = {},
): Promise<IoLoopFinding[]> {
  const out: IoLoopFinding[] = [];
  for (const f of files) {
    if (!f.loops.some((l) => !l.verdict.translatable && l.verdict.code === 'await')) continue;
    const text = await readFile(resolve(rootDir, f.file), 'utf8');
    out.push(...adviseIoLoops(f.file, text, options));
  }
  return out;
}
