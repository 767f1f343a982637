// Planning `hotloop apply` of a loop for a native wrapper in-process, and loading the rewritten
// CommonJS text with a stand-in for the wrapper module (the kernel's interpreter, in the tests).
import { runInThisContext } from 'node:vm';
import type { LoopFacts } from '../../src/core/analysis/index.js';
import { planApply } from '../../src/core/advice/apply.js';
import { runKernel } from '../../src/core/ir/interpret.js';
import type { Kernel, KernelArg } from '../../src/core/ir/types.js';

/** The apply plan of `loop` in `text`, calling a native wrapper at `./w/index.js`. */
export function planNative(text: string, fileName: string, loop: LoopFacts): ReturnType<typeof planApply> {
  const wrapper = {
    importPath: './w/index.js',
    exportName: loop.kernel!.name,
    target: 'native',
    async: false,
  } as const;
  return planApply({ text, fileName, loop, wrapper });
}

/** Evaluates CommonJS `code` with `require` answered by `requireFn`; its `module.exports`. */
export function loadModule(
  code: string,
  requireFn: (id: string) => unknown,
): Record<string, (...a: unknown[]) => unknown> {
  const module = { exports: {} as Record<string, (...a: unknown[]) => unknown> };
  (runInThisContext(`(function (require, module) {\n${code}\n})`) as (r: unknown, m: unknown) => void)(
    requireFn,
    module,
  );
  return module.exports;
}

/**
 * A `require` for the rewritten module whose wrapper module is the kernel's interpreter, refusing a
 * scalar that is no number as the native entry's readScalar does (`undefined` for a `var` not yet set).
 */
export function strictWrapper(k: Kernel): () => unknown {
  return () => ({
    [k.name]: (...args: KernelArg[]) => {
      k.params.forEach((q, i) => {
        if (q.kind === 'scalar' && typeof args[i] !== 'number')
          throw new TypeError(`${q.name} must be a number`);
      });
      return runKernel(k, args).result;
    },
  });
}
