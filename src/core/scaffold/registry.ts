// The targets Hotloop can scaffold. A new target (native, gpu) adds its emitter to this list.
import type { Emitter, TargetName } from './types.js';
import { workerEmitter } from './worker/emit.js';
import { wasmEmitter } from './wasm/emit.js';
import { nativeEmitter } from './native/emit.js';
import { gpuEmitter } from './gpu/emit.js';
import { clusterEmitter } from './cluster/emit.js';
import { jsEmitter } from './js/emit.js';

/** Every registered emitter, in the order pickers show them. */
export const emitters: readonly Emitter[] = [
  wasmEmitter,
  jsEmitter,
  workerEmitter,
  nativeEmitter,
  gpuEmitter,
  clusterEmitter,
];

/** The emitter of `target`, or undefined when none is registered (yet). */
export function emitterFor(target: string, list: readonly Emitter[] = emitters): Emitter | undefined {
  return list.find((e) => e.target === target);
}

/** Target names with an emitter. */
export function targetNames(list: readonly Emitter[] = emitters): TargetName[] {
  return list.map((e) => e.target);
}
