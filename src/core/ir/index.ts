// The Kernel IR runtime: one import for emitters, the bench and tests.
export type * from './types.js';
export {
  runKernel,
  probeKernel,
  constArrays,
  typedArrayFrom,
  typedArrayOf,
  KernelBudgetError,
  DEFAULT_RUN_BUDGET,
  DEFAULT_PROBE_BUDGET,
} from './interpret.js';
export type { RunOptions } from './interpret.js';
export type { Arr, TypedArr, Val, ProbeRecord } from './interpret.js';
export { validateKernel, MATH_ARITY } from './validate.js';
export { printKernel, printExpr } from './print.js';
export { kernelToJs, exprToJs, TYPED_CTOR } from './toJs.js';
export type { KernelToJsOptions } from './toJs.js';
export { Rng, makeInputs, cloneArgs, kernelShape } from './random.js';
export type { InputEdge, MakeInputsOptions } from './random.js';
export { compareOutputs, usesLibm } from './tolerance.js';
export type { CompareOptions, CompareResult } from './tolerance.js';
export { numLitValue, toNumLit, numLitSource } from './numLit.js';
