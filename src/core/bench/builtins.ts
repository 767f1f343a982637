// Modules built into the child program (`builtin:<name>`): the talk-table kernels and targets, so the
// suite runs from the bundled extension without any workspace files.
import * as talk from './talkKernels.js';
import * as talkTargets from './talkTargets.js';
import * as library from './library.js';

export const builtinModules: Readonly<Record<string, Record<string, unknown>>> = {
  talk: talk,
  'talk-targets': talkTargets,
  library: library,
};
