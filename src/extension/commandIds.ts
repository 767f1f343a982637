// The command registry's ids: every command Hotloop registers, in one place. No `vscode` import, so
// plain-Node tests (the manifest test) read it. `contributed: false` marks internal commands (lens
// clicks, code-action explanations) that package.json does not list in the palette.
// Registration goes through commandRegistry.ts (an ESLint rule forbids any other registerCommand).

export const COMMANDS = {
  'hotloop.analyzeFile': { contributed: true },
  'hotloop.showHotLoops': { contributed: true },
  'hotloop.refreshHotLoops': { contributed: true },
  'hotloop.showLog': { contributed: true },
  'hotloop.explainLoop': { contributed: false },
  'hotloop.profile': { contributed: true },
  'hotloop.importProfile': { contributed: true },
  'hotloop.toggleHeat': { contributed: true },
  'hotloop.saveBaseline': { contributed: true },
  'hotloop.compareBeforeAfter': { contributed: true },
  'hotloop.scaffold': { contributed: true },
  'hotloop.buildScaffold': { contributed: true },
  'hotloop.applyRewrite': { contributed: true },
  'hotloop.adviceExplain': { contributed: false },
  'hotloop.benchmark': { contributed: true },
  'hotloop.benchmarkSweep': { contributed: true },
  'hotloop.openResults': { contributed: true },
  'hotloop.reproduceTalkTable': { contributed: true },
} as const satisfies Record<string, { readonly contributed: boolean }>;

export type CommandId = keyof typeof COMMANDS;

/** Every id, in registry order. */
export const COMMAND_IDS = Object.keys(COMMANDS) as CommandId[];
