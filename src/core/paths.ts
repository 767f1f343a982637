// Where Hotloop keeps its workspace state (`.hotloop/`), and the schema versions of what it stores
// there: one place for every reader and writer (the engine's stores, the extension's evidence cache).
import { join } from 'node:path';

/** The workspace folder for Hotloop's own state (results, profiles, baselines, calibration, variants). */
export const DOT_HOTLOOP = '.hotloop';
/** Saved benchmark results: `<root>/.hotloop/results/<kernel>/*.json`. */
export const RESULTS_DIR = join(DOT_HOTLOOP, 'results');
/** Stored profiles: `<root>/.hotloop/profiles/*.json`. */
export const PROFILES_DIR = join(DOT_HOTLOOP, 'profiles');
/** Before/after baselines. */
export const BASELINES_DIR = join(DOT_HOTLOOP, 'baselines');

/** Schema version of a saved benchmark result (`BenchResult.schemaVersion`). */
export { RESULT_SCHEMA_VERSION } from './bench/types.js';
/** Schema version of a stored profile (`ProfileResult.schema`). */
export const PROFILE_SCHEMA_VERSION = 1;
