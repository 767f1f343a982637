// The one TS interface for every `hotloop.*` setting. A unit test checks it against package.json
// (same keys, same defaults), so the manifest and the code cannot drift apart.

export interface HotloopSettings {
  'codeLens.enabled': boolean;
  'codeLens.showNotTranslatable': boolean;
  'analysis.exclude': string[];
  'analysis.maxFiles': number;
  /** Files larger than this (MB) are skipped by the analysis with a diagnostic. */
  'analysis.maxFileSizeMB': number;
  'profile.interval': number;
  'profile.timeout': number;
  'profile.defaultTarget': string;
  'profile.shapes': boolean;
  'profile.captureInputs': boolean;
  'profile.heatDecorations': boolean;
  'scaffold.outputDir': string;
  /** Build steps in the OS sandbox (Linux with bubblewrap): writes only in the scaffold folder. */
  'build.sandbox': boolean;
  /** Awaits in flight in the IO advisor's rewrite of an awaiting loop. */
  'io.concurrency': number;
}

/** Defaults, identical to package.json `contributes.configuration` (checked by test/unit/settings.test.ts). */
export const defaultSettings: HotloopSettings = {
  'codeLens.enabled': true,
  'codeLens.showNotTranslatable': true,
  'analysis.exclude': ['**/node_modules/**', '**/dist/**', '**/out/**', '**/build/**', '**/hotloop/**'],
  'analysis.maxFiles': 2000,
  'analysis.maxFileSizeMB': 2,
  'profile.interval': 2000,
  'profile.timeout': 60,
  'profile.defaultTarget': '',
  'profile.shapes': false,
  'profile.captureInputs': false,
  'profile.heatDecorations': true,
  'scaffold.outputDir': 'hotloop',
  'build.sandbox': true,
  'io.concurrency': 8,
};
