// The shader plan of the GPU target, shared by WebGPU (emit.ts) and CUDA (cuda.ts): the host-side
// statements are checked (no element reads or stores outside the parallel loops: a length is known on
// the host, an element needs the device's copy), and each top-level parallel loop becomes a shader.
import type { Kernel, Stmt } from '../../ir/types.js';
import { hasLoad, readsVar } from '../../ir/walk.js';
import { loopDeps } from '../../analysis/deps.js';
import type { ForStmt } from '../../ir/stmtEmitter.js';
import { unsupportedForm } from '../common/support.js';
import { integerParams } from '../wasm/asEmit.js';
import { Declined, WgslLoopEmitter } from './wgsl.js';
import type { LoopShader } from './wgsl.js';
import { gemmPattern } from './wgslTiled.js';
import { rowPattern } from './wgslRows.js';
import type { Shape } from './wgsl.js';

/** Checks the host-side statements (everything outside the parallel loops) and collects the loops. */
export function hostPlan(k: Kernel): ForStmt[] {
  const loops: ForStmt[] = [];
  const visit = (list: readonly Stmt[], top: boolean): void => {
    for (const st of list) {
      switch (st.kind) {
        case 'let':
          if (hasLoad(st.init))
            throw new Declined(`'${st.name}' is computed from array elements outside a parallel loop`);
          break;
        case 'assign':
          if (hasLoad(st.value))
            throw new Declined(`'${st.name}' is computed from array elements outside a parallel loop`);
          break;
        case 'store':
          throw new Declined('stores outside a parallel loop');
        case 'if':
          if (hasLoad(st.cond)) throw new Declined('a condition on array elements outside a parallel loop');
          visit(st.then, false);
          visit(st.else, false);
          break;
        case 'for':
          if (!st.parallel)
            throw new Declined(
              `the loop over '${st.index}' carries a dependence from one iteration to the next (e.g. a scan): it is sequential`,
            );
          if (!top) throw new Declined('a parallel loop inside a condition');
          if (hasLoad(st.start) || hasLoad(st.end))
            throw new Declined('a loop bound read from array elements');
          loops.push(st);
          break;
      }
    }
  };
  visit(k.body, true);
  if (k.result.kind === 'scalar' && hasLoad(k.result.expr))
    throw new Declined('the result reads array elements outside a loop');
  if (loops.length === 0) throw new Declined('no parallel loop to run on the GPU');
  return loops;
}

/**
 * The inner loop of a perfect 2-deep nest (`for i { for j { … } }`, nothing else in the outer body)
 * that can share the dispatch with the outer loop — one invocation per (i, j), so that no
 * invocation loops over a whole row (a loop limiter, and a GPU's width, want short invocations):
 * the outer loop has no reductions, the inner bounds are known on the host (they read neither i
 * nor array elements) and the inner iterations are independent. Else undefined.
 */
export function collapsible(loop: ForStmt): ForStmt | undefined {
  const [inner, ...rest] = loop.body;
  if (!inner || rest.length || inner.kind !== 'for' || loop.parallel?.reductions.length) return undefined;
  if (inner.stepExpr || !Number.isInteger(inner.step) || inner.step <= 0 || inner.index === loop.index)
    return undefined;
  for (const e of [inner.start, inner.end]) if (hasLoad(e) || readsVar(e, loop.index)) return undefined;
  if (inner.parallel) return inner.parallel.reductions.length ? undefined : inner;
  try {
    const deps = loopDeps(
      inner.body,
      inner.index,
      () => true,
      () => true,
    );
    return deps.parallel && deps.reductions.length === 0 ? inner : undefined;
  } catch {
    return undefined; // a dependence the analysis rejects outright: not collapsed
  }
}

/** The layout of a top-level parallel loop on the device: the most specific shape that matches. */
export function shapeOf(loop: ForStmt): Shape {
  const inner = collapsible(loop);
  const gemm = inner && gemmPattern(loop, inner);
  if (gemm) return { kind: 'tile', gemm };
  if (inner) return { kind: 'pair', inner };
  const row = rowPattern(loop);
  return row ? { kind: 'row', row } : { kind: 'index' };
}

/** The shaders of a kernel's parallel loops, in order; throws Declined with the reason. */
export function gpuShaders(k: Kernel): LoopShader[] {
  const form = unsupportedForm(k, 'GPU', {
    breakContinue: false,
    return: false,
    throw: false,
    steps: false,
    rank2: false,
  });
  if (form) throw new Declined(form);
  for (const p of k.params) {
    if (p.kind === 'array' && p.container === 'typed' && p.dtype !== 'f64' && p.dtype !== 'f32') {
      throw new Declined(
        `${p.dtype} array '${p.name}': integer results must be exact and f32 arithmetic cannot promise that`,
      );
    }
  }
  const ints = integerParams(k);
  return hostPlan(k).map((loop) => {
    return new WgslLoopEmitter(k, loop, ints, shapeOf(loop)).emit();
  });
}
