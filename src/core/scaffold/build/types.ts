// What building a scaffold folder takes and returns: plain data, the same for the CLI
// (`hotloop build`), the extension (`hotloop.buildScaffold`) and the tests.
import type { Logger } from '../../logger.js';
import type { TargetName } from '../types.js';

export interface BuildOptions {
  /** Cancels the build: the running step's whole process group is killed. */
  readonly signal?: AbortSignal;
  readonly log?: Logger;
  /** Every chunk of the steps' stdout/stderr as it arrives (compiler output). */
  readonly onOutput?: (text: string, stream: 'stdout' | 'stderr') => void;
  /** Called as each step starts (for progress: "npm run build"). */
  readonly onStep?: (step: { readonly cmd: string; readonly args: readonly string[] }) => void;
  /** Environment of the steps (default `process.env`); `PATH` decides which tools are found. */
  readonly env?: NodeJS.ProcessEnv;
  /** Wall-clock limit of the whole build (default 10 minutes); the running step is killed past it. */
  readonly timeoutMs?: number;
  /** Run `npm install` when dependencies do not resolve (default true; it needs the npm registry). */
  readonly install?: boolean;
  /** Native scaffolds: also run `npm run sanitize` (ASan + UBSan build and check, then a normal rebuild). */
  readonly sanitize?: boolean;
  /**
   * Run the steps in the OS sandbox where there is one (Linux with bubblewrap; default true): the file
   * system read-only except the scaffold folder (and its install folder), a private temp folder and
   * npm's cache; a PID namespace, so nothing a step starts outlives it.
   */
  readonly sandbox?: boolean;
}

/** One command run (or skipped) in the folder. */
export interface BuildStep {
  readonly cmd: string;
  readonly args: readonly string[];
  /** Exit code; null when killed (cancel, timeout) or skipped. */
  readonly code: number | null;
  readonly ms: number;
  /** Why the step did not run (e.g. dependencies already resolve, nvcc missing). */
  readonly skipped?: string;
}

/** Why a build did not succeed. */
export type BuildFailure =
  'not-a-scaffold' | 'prerequisites' | 'install' | 'build' | 'check' | 'cancelled' | 'timeout';

export interface BuildResult {
  /** Built, and the check passed (or there is no check to run). */
  readonly ok: boolean;
  /** The scaffold's target, when the folder is one. */
  readonly kind: TargetName | undefined;
  readonly dir: string;
  readonly steps: readonly BuildStep[];
  /** The folder's own check (`npm run check`) matched the original; undefined when it did not run. */
  readonly checkPassed: boolean | undefined;
  /** Set when the check ran the original JavaScript instead of the fast path (e.g. no WebGPU adapter). */
  readonly fallback?: string;
  /** Things the user should know that did not fail the build (CUDA not built, headers downloaded). */
  readonly warnings: readonly string[];
  readonly failure?: BuildFailure;
  /** For failures: what went wrong and what to do, with the compiler's error lines and the output's tail. */
  readonly reason?: string;
}

/** What `detectScaffold` finds in a folder. */
export type ScaffoldFolder =
  | {
      readonly ok: true;
      readonly dir: string;
      readonly kind: TargetName;
      /** The kernel's name from the marker ("native scaffold of sum"), when present. */
      readonly kernel: string | undefined;
      readonly scripts: Readonly<Record<string, string>>;
      /** Every dependency and devDependency name of the folder's package.json. */
      readonly dependencies: readonly string[];
      /** A GPU scaffold with its CUDA flavour (`cuda/` and the `build:cuda` script). */
      readonly cuda: boolean;
      /** Where `npm install` runs: the shared toolchain's folder (`<outputDir>/`), when the folder uses one. */
      readonly installDir?: string;
    }
  | { readonly ok: false; readonly reason: string };
