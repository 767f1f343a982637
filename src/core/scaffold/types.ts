// The scaffold framework's contract: an Emitter turns one Kernel into the files of one target
// (worker, wasm, later native and gpu); the framework adds what every target shares (original.ts,
// README, marker headers), plans the write against what is on disk and writes without loss.
import type { Kernel } from '../ir/types.js';

/** Target names. Add a new one here and register its emitter in `registry.ts`. */
export type TargetName = 'worker' | 'wasm' | 'native' | 'gpu' | 'cluster' | 'js';

/**
 * What a target does to floating-point results; the correctness check derives its tolerance from
 * these (`compareOutputs(..., { reassociated, precision })`), never a blanket epsilon.
 */
export interface TargetProperties {
  /** Reductions may be evaluated in another order (SIMD lanes, shards, GPU trees). */
  readonly reassociates: boolean;
  /** Arithmetic precision of the fast path (`f32` on GPUs, and for Float32Array sources where stated). */
  readonly precision: 'f64' | 'f32';
  /** The wrapper returns a Promise (the fast path runs off the calling thread). */
  readonly async: boolean;
  /** Accuracy of the target's transcendental functions in ulps of `precision` (default: a good libm, 4). */
  readonly libmUlps?: number;
}

/** One file of a scaffold, relative to the kernel's folder (forward slashes, no `..`). */
export interface GeneratedFile {
  readonly path: string;
  /** Contents without the marker header: the framework adds it (see `marker.ts`). */
  readonly contents: string;
  /** What the file is for (the README lists them). */
  readonly role: 'kernel' | 'wrapper' | 'runtime' | 'build' | 'original' | 'readme';
}

/** Where the kernel came from, for comments and the README. */
export interface KernelSource {
  /** Workspace-relative file, e.g. `src/stats.ts`. */
  readonly file: string;
  /** One-based line of the loop or function. */
  readonly line?: number;
  /** Stable loop id from the analysis (`src/stats.ts#variance/0`). */
  readonly loopId?: string;
}

/** What an emitter gets besides the kernel. */
export interface EmitContext {
  readonly source?: KernelSource;
  /** Name used for the exported function and the folder (defaults to `kernel.name`). */
  readonly exportName: string;
  /** Worker target: run inline below this much work (≈ scalar operations); measured, see worker/calibration.ts. */
  readonly workerInlineBelowOps?: number;
  /** GPU target: also emit the CUDA flavour (`cuda/`), where nvcc is installed (the host checks). */
  readonly cuda?: boolean;
}

export type EmitResult =
  | {
      readonly ok: true;
      /** The target's own files (the framework adds original.ts, README.md and shared files). */
      readonly files: readonly GeneratedFile[];
      /** Short facts for the README and the preview ("SIMD f64x2 on the loop at line 3", "copies inputs"). */
      readonly notes: readonly string[];
      /** Build and run commands of this target, run in the kernel's folder (the README lists them). */
      readonly commands: { readonly build: readonly string[]; readonly check: readonly string[] };
      /** npm dependencies of the generated folder (name → version range). */
      readonly dependencies: Readonly<Record<string, string>>;
      readonly devDependencies: Readonly<Record<string, string>>;
      /** Extra or overriding npm scripts of the generated package.json (e.g. the native target's build, sanitize, prebuild). */
      readonly scripts?: Readonly<Record<string, string>>;
      /** What this kernel's fast path actually does (may be less than the target's declared worst case). */
      readonly properties: TargetProperties;
    }
  | { readonly ok: false; readonly reason: string };

/** A target: its name, what it may do to results, and the code generator. */
export interface Emitter {
  readonly target: TargetName;
  /** One line for pickers: "WebAssembly (AssemblyScript, v128 SIMD)". */
  readonly title: string;
  /** The worst case over all kernels (the per-kernel truth is in `EmitResult.properties`). */
  readonly properties: TargetProperties;
  emit(kernel: Kernel, ctx: EmitContext): EmitResult;
}

/** A scaffold request: plain data, the same from the CLI, the extension and the tests. */
export interface ScaffoldRequest {
  readonly kernel: Kernel;
  readonly target: TargetName;
  /** Absolute workspace root; output never leaves it. */
  readonly workspaceRoot: string;
  /** Output folder relative to the workspace root (setting `hotloop.scaffold.outputDir`, default `hotloop`). */
  readonly outputDir: string;
  /** Folder name under `outputDir` (default `<kernel>-<target>`); a plain name, no separators. */
  readonly folderName?: string;
  /** Scaffolding writes code meant to be built and run: refused in untrusted workspaces. */
  readonly workspaceTrusted: boolean;
  readonly source?: KernelSource;
  readonly workerInlineBelowOps?: number;
  /** GPU target: also emit the CUDA flavour (the CLI/extension set it when nvcc is on PATH). */
  readonly cuda?: boolean;
}

export type FileAction =
  /** The file does not exist. */
  | 'create'
  /** The file exists, carries Hotloop's marker and differs: re-scaffold updates it. */
  | 'update'
  /** The file exists with the same contents. */
  | 'unchanged'
  /** The file exists without Hotloop's marker (the user's): written only with explicit confirmation. */
  | 'conflict';

export interface PlannedFile {
  /** Absolute path. */
  readonly path: string;
  /** Relative to the workspace root, forward slashes (for previews). */
  readonly relative: string;
  readonly contents: string;
  readonly action: FileAction;
  readonly role: GeneratedFile['role'];
}

export interface ScaffoldPlan {
  readonly target: TargetName;
  readonly kernelName: string;
  /** Absolute folder of the scaffold. */
  readonly dir: string;
  readonly files: readonly PlannedFile[];
  readonly notes: readonly string[];
  readonly properties: TargetProperties;
  readonly commands: { readonly build: readonly string[]; readonly check: readonly string[] };
}

export type PlanResult =
  { readonly ok: true; readonly plan: ScaffoldPlan } | { readonly ok: false; readonly reason: string };
