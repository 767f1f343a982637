// Fresh output arrays (`ArrayParam.fresh`): arrays the original function allocates itself and fills
// (`var ret = []; for (…) ret[i] = …; return ret`, `xs.map(v => …)`). The kernel takes them as
// ordinary written typed-array parameters; the original does not. Whoever stands in for the original
// (a scaffold's wrapper, the reference runner of the tests) calls it with the original's arguments
// (`inputParams`), allocates each fresh array from its length expression (`withFresh`), runs the
// kernel and hands back a plain `number[]` where the original returned one (`asOriginalResult`).
import type { ArrayParam, Kernel, KernelArg, Param } from './types.js';
import { TYPED_CTOR, exprToJs } from './toJs.js';
import { runKernel, typedArrayOf } from './interpret.js';
import type { RunOptions } from './budget.js';

/** A fresh output array parameter. */
export type FreshParam = ArrayParam & { readonly fresh: NonNullable<ArrayParam['fresh']> };

export function isFresh(p: Param): p is FreshParam {
  return p.kind === 'array' && p.fresh !== undefined;
}

/** The fresh output arrays of `k`, in parameter order. */
export function freshParams(k: Kernel): FreshParam[] {
  return k.params.filter(isFresh);
}

/** The parameters the original function takes: every parameter but the fresh arrays, in order. */
export function inputParams(k: Kernel): Param[] {
  return k.params.filter((p) => !isFresh(p));
}

/** True when `len` is a length `new Array(len)` accepts (an integer in [0, 2³² − 1]). */
export function validLength(len: number): boolean {
  return Number.isInteger(len) && len >= 0 && len <= 4294967295;
}

const lengthFns = new WeakMap<Kernel, Map<string, (...args: unknown[]) => number>>();

/** The length of fresh array `p` for the original's arguments `inputs` (in `inputParams` order). */
export function freshLength(k: Kernel, p: FreshParam, inputs: readonly KernelArg[]): number {
  let fns = lengthFns.get(k);
  if (!fns) lengthFns.set(k, (fns = new Map<string, (...args: unknown[]) => number>()));
  let f = fns.get(p.name);
  if (!f) {
    // Generated from IR (identifiers and operators only), like the interpreter's own compiled closures.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    f = new Function(...inputParams(k).map((q) => q.name), `return ${exprToJs(p.fresh.length)};`) as (
      ...args: unknown[]
    ) => number;
    fns.set(p.name, f);
  }
  return f(...inputs);
}

/**
 * The kernel's full argument list from the original's arguments: each fresh array allocated (zeroed,
 * of its dtype) at its place. Throws `RangeError('Invalid array length')` as `new Array(n)` does (a
 * typed array: its constructor's own RangeError).
 */
export function withFresh(k: Kernel, inputs: readonly KernelArg[]): KernelArg[] {
  const fresh = freshParams(k);
  if (fresh.length === 0) return [...inputs];
  const out: KernelArg[] = [];
  let next = 0;
  for (const p of k.params) {
    if (!isFresh(p)) {
      out.push(inputs[next++]!);
      continue;
    }
    const len = freshLength(k, p, inputs);
    // `new Array(n)` throws this; a typed array constructor throws its own RangeError, as in the original.
    if (p.fresh.plain && !validLength(len)) throw new RangeError('Invalid array length');
    out.push(typedArrayOf(p.dtype, len));
  }
  return out;
}

/** The original's arguments out of a full argument list (the fresh arrays dropped). */
export function originalArgs(k: Kernel, args: readonly KernelArg[]): KernelArg[] {
  return args.filter((_, i) => !isFresh(k.params[i]!));
}

/** The kernel's result as the original gives it: a fresh array returned as `number[]` where the original made one. */
export function asOriginalResult(
  k: Kernel,
  result: number | boolean | KernelArg | undefined,
): number | boolean | KernelArg | undefined {
  if (k.result.kind !== 'array') return result;
  const name = k.result.name;
  const p = k.params.find((q) => q.name === name);
  if (p && isFresh(p) && p.fresh.plain && result !== undefined && typeof result === 'object')
    return Array.from(result as ArrayLike<number>);
  return result;
}

/** The kernel with its fresh arrays as ordinary written typed-array parameters (what emitters see). */
export function withoutFresh(k: Kernel): Kernel {
  if (!k.params.some(isFresh)) return k;
  return {
    ...k,
    params: k.params.map((p) => {
      if (!isFresh(p)) return p;
      const { fresh: _fresh, ...rest } = p;
      return rest;
    }),
  };
}

/** JS source that allocates fresh array `p` (`new Float64Array(len)`), given its length's source. */
export function freshAllocJs(p: FreshParam, lengthSource: string): string {
  return `new ${TYPED_CTOR[p.dtype]}(${lengthSource})`;
}

/**
 * Runs `k` in the original's place: `inputs` are the original's arguments (mutated as the kernel
 * writes them), fresh arrays are allocated first, the result comes back as the original gives it.
 */
export function runAsOriginal(
  k: Kernel,
  inputs: readonly KernelArg[],
  opts?: RunOptions,
): number | boolean | KernelArg | undefined {
  const full = withFresh(k, inputs);
  return asOriginalResult(k, runKernel(k, full, opts).result);
}
