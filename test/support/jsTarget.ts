// The js target's wrapper of a kernel and the scaffold's original.js (kernelToTs), loaded in-process:
// the wrapper imports the original for its fallback, and a fallback is an error (as under
// HOTLOOP_STRICT=1).
import { transformSync } from 'esbuild';
import type { Kernel } from '../../src/core/ir/types.js';
import { kernelToTs } from '../../src/core/scaffold/common/tsEmit.js';
import { tunedJsSource } from '../../src/core/scaffold/js/emit.js';
import { loadJs, type JsKernel } from './loadJs.js';

export const cjs = (ts: string): string =>
  transformSync(ts, { loader: 'ts', format: 'cjs', target: 'es2022' }).code;

/** The original (as the scaffold's original.ts) and the js target's wrapper, loaded. */
export function loadJsTarget(k: Kernel): { original: JsKernel; tuned: JsKernel } {
  const original = loadJs(cjs(kernelToTs(k)), k.name);
  const tuned = loadJs(cjs(tunedJsSource(k, k.name).source), k.name, (id) => {
    if (id === './original.js') return { [k.name]: original };
    if (id === './locate.js')
      return {
        fallback: (_k: string, _t: string, why: string) => {
          throw new Error(`unexpected fallback: ${why}`);
        },
      };
    throw new Error(`unexpected import ${id}`);
  });
  return { original, tuned };
}
