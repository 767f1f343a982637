// Compiles JS function source (from kernelToJs, or a transpiled fixture) into a callable.
import type { KernelArg } from '../../src/core/ir/types.js';

export type JsKernel = (...args: KernelArg[]) => unknown;

/**
 * Evaluates `source` (function declarations, consts, …) in a fresh function scope and returns the
 * function called `name`. CommonJS-style `exports`/`module` are provided so transpiled modules load.
 */
export function loadJs(source: string, name: string, requireFn?: (id: string) => unknown): JsKernel {
  // Evaluating generated source is this helper's purpose (tests only, never shipped code).
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const factory = new Function(
    'exports',
    'module',
    'require',
    `"use strict";\n${source}\n;return typeof ${name} === 'function' ? ${name} : (module.exports && module.exports.${name}) || exports.${name};`,
  ) as (
    exports: Record<string, unknown>,
    module: { exports: Record<string, unknown> },
    require: (id: string) => unknown,
  ) => unknown;
  const exports: Record<string, unknown> = {};
  const module = { exports };
  const fn = factory(
    exports,
    module,
    requireFn ??
      ((id: string) => {
        throw new Error(
          `loadJs: '${name}' requires '${id}', which is not available here (pass a require function)`,
        );
      }),
  );
  if (typeof fn !== 'function') throw new Error(`loadJs: no function '${name}' in the given source`);
  return fn as JsKernel;
}
