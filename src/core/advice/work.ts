// Work of a kernel, from its IR: operations per element of the outer loop(s), which arrays cross
// the boundary, and the pattern class the cost model keys its measured throughputs on.
import type { ArrayParam, Kernel, Stmt } from '../ir/types.js';
import { stmtOps } from '../ir/walk.js';

/** Throughput classes the calibration measures per target (one representative kernel each). */
export type WorkClass = 'reduce' | 'map-reduce' | 'map';

export interface KernelWork {
  /** Elementary operations per iteration of the top-level loops (summed over them). */
  readonly opsPerElement: number;
  readonly workClass: WorkClass;
  /** Array parameters the kernel reads (they cross the boundary on the way in). */
  readonly reads: readonly ArrayParam[];
  /** Array parameters the kernel writes (they cross the boundary on the way out). */
  readonly writes: readonly ArrayParam[];
  /** True when some array parameter is a JS `number[]`. */
  readonly hasNumberArray: boolean;
  /** True when a top-level loop is marked parallel (workers/GPU may shard it). */
  readonly parallel: boolean;
  /** A float reduction whose result depends on order (SIMD/threads need reassociation). */
  readonly orderSensitive: boolean;
}

function loopOps(body: readonly Stmt[]): number {
  let ops = 0;
  let loops = 0;
  for (const st of body) {
    if (st.kind === 'for') {
      ops += 2 + stmtOps(st.body);
      loops++;
    }
  }
  return loops > 0 ? ops : stmtOps(body);
}

export function kernelWork(k: Kernel): KernelWork {
  const arrays = k.params.filter((p): p is ArrayParam => p.kind === 'array');
  const reads = arrays.filter((p) => p.access !== 'write');
  const writes = arrays.filter((p) => p.access !== 'read');
  const workClass: WorkClass =
    k.pattern === 'reduce'
      ? 'reduce'
      : k.pattern === 'map' || k.pattern === 'stencil' || k.pattern === 'scan'
        ? 'map'
        : 'map-reduce';
  return {
    opsPerElement: Math.max(1, loopOps(k.body)),
    workClass,
    reads,
    writes,
    hasNumberArray: arrays.some((p) => p.container === 'array'),
    parallel: k.body.some((st) => st.kind === 'for' && st.parallel !== undefined),
    orderSensitive: k.orderSensitive,
  };
}

export const DTYPE_BYTES: Readonly<Record<string, number>> = {
  f64: 8,
  f32: 4,
  i32: 4,
  u32: 4,
  i16: 2,
  u16: 2,
  i8: 1,
  u8: 1,
  u8c: 1,
};
