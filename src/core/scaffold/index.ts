// The scaffold engine's public surface.
export type {
  Emitter,
  EmitContext,
  EmitResult,
  GeneratedFile,
  TargetName,
  TargetProperties,
  ScaffoldRequest,
  ScaffoldPlan,
  PlannedFile,
  FileAction,
  PlanResult,
} from './types.js';
export { emitters, emitterFor, targetNames } from './registry.js';
export { planScaffold, UNTRUSTED_REASON } from './plan.js';
export { writeScaffold } from './write.js';
export type { WriteOptions, WriteResult } from './write.js';
export { MARKER, hasMarker } from './marker.js';
export { emitAssemblyScript, assemblyModule, ASC_FLAGS } from './wasm/emit.js';
