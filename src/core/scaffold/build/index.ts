// Building scaffold folders: `buildScaffold(dir, opts)` (CLI `hotloop build`, command `hotloop.buildScaffold`).
export { buildScaffold, failureMessage } from './buildScaffold.js';
export { detectScaffold } from './detect.js';
export { checkPrerequisites, which } from './prereq.js';
export type { BuildFailure, BuildOptions, BuildResult, BuildStep, ScaffoldFolder } from './types.js';
