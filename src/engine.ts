// The engine bundle (dist/engine.js): everything heavy (the TypeScript compiler, the profiler, the
// emitters) behind one module that the extension requires lazily on first use. Re-export only.
export type { FileAnalysis, LoopFacts } from './core/analysis/types.js';
export { analyzeSource, analyzePath, createAnalysisService, tsVersion } from './core/analysis/index.js';
export type { AnalysisService, AnalysisServiceOptions, AnalyzePathOptions } from './core/analysis/index.js';
export { expandPaths } from './core/analysis/walk.js';
export {
  planScaffold,
  writeScaffold,
  emitters as scaffoldEmitters,
  targetNames as scaffoldTargets,
  UNTRUSTED_REASON as SCAFFOLD_UNTRUSTED_REASON,
} from './core/scaffold/index.js';
export type {
  ScaffoldPlan,
  ScaffoldRequest,
  PlannedFile,
  TargetName,
  WriteResult,
} from './core/scaffold/index.js';
export { buildScaffold, detectScaffold } from './core/scaffold/build/index.js';
export { hasNvcc } from './core/scaffold/gpu/nvcc.js';
export type { BuildOptions, BuildResult, BuildStep, ScaffoldFolder } from './core/scaffold/build/index.js';
export { runBench } from './core/bench/runner.js';
export { runSweep } from './core/bench/sweep.js';
export { runTalkTable } from './core/bench/talkTable.js';
export { loopBenchSpec } from './core/optimize/loopBench.js';
export type { LoopBenchRequest } from './core/optimize/loopBench.js';
export { saveResult, loadHistory, latestResult, parseResult } from './core/bench/store.js';
export { toMarkdown, toCsv } from './core/bench/export.js';
export type { BenchResult, BenchSpec, BenchOptions, Variant } from './core/bench/types.js';
export { profileTarget, importProfile } from './core/profile/index.js';
export { compareRuns, formatComparison } from './core/profile/compare.js';
export type { BeforeAfterComparison } from './core/profile/compare.js';
export {
  profileBeforeAfter,
  compareWithBaseline,
  saveBaseline,
  loadBaseline,
  listBaselines,
  beforeRuns,
} from './core/profile/beforeAfter.js';
export type { Baseline, RunSet } from './core/profile/beforeAfter.js';
export { loadCalibration, calibrate, adviseKernel, adviceSummary } from './core/advice/index.js';
export { adviseIoLoops } from './core/advisors/io/index.js';
export { adviseZeroCopy } from './core/advisors/zerocopy/index.js';
export { adviseLayout } from './core/advisors/layout/index.js';
export { adviseHashing } from './core/advisors/hashing/index.js';
export { adviseColumnar } from './core/advisors/columnar/index.js';
export type { Calibration, KernelAdvice, TargetPrediction } from './core/advice/index.js';
export {
  planApply,
  applyTextEdits,
  inverseTextEdits,
  textHash,
  wrapperImportPath,
} from './core/advice/apply.js';
export type { ApplyPlan, ApplyRequest, TextEdit } from './core/advice/apply.js';
export { prepareApply } from './core/apply/engine.js';
export type { Prepared, PrepareRequest } from './core/apply/engine.js';
export type { ProfileResult, ProfileTarget } from './core/profile/types.js';
