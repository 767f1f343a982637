// The benchmark of one loop: the original (the kernel as plain JS, from its IR), the same JS on
// Float64Array (the cheapest rewrite there is), each built scaffold and the bundled kernel library's
// routine where one computes the same thing; inputs sized like the IR's own random inputs.
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { transformTs } from './transformTs.js';
import type { DType, Kernel } from '../ir/types.js';
import { makeInputs } from '../ir/random.js';
import type {
  ArgDType,
  ArgSpec,
  BenchResult,
  BenchSpec,
  InputForm,
  SourceLocation,
  Variant,
} from '../bench/types.js';
import { kernelToTs } from '../scaffold/common/tsEmit.js';
import type { TargetName, TargetProperties } from '../scaffold/types.js';
import { fitIndexArrays } from './indexArrays.js';
import { libraryMatchFor } from './libraryMatch.js';
import type { ReplayShape } from './shape.js';

export interface BuiltTarget {
  readonly target: TargetName;
  /** dist/index.js of the scaffold. */
  readonly entry: string;
  readonly properties: TargetProperties;
}

const TARGET_LABEL: Readonly<Record<TargetName, string>> = {
  wasm: 'wasm',
  worker: 'worker',
  native: 'native',
  gpu: 'gpu',
  cluster: 'cluster',
  js: 'tuned JS',
};

export function argDtype(d: DType): ArgDType {
  return d === 'f64' ? 'f64' : d === 'f32' ? 'f32' : 'i32';
}

const INT_RANGE: Partial<Record<DType, readonly [number, number]>> = {
  i32: [-1000, 1000],
  u32: [0, 2000],
  i16: [-32768, 32767],
  u16: [0, 65535],
  i8: [-128, 127],
  u8: [0, 256],
  u8c: [0, 256],
};

/** The value range of random integer elements of dtype d (undefined for floats). */
export function intRange(d: DType): readonly [number, number] | undefined {
  return INT_RANGE[d];
}

/** Argument specs for size n: array lengths and scalar values exactly as the IR's random inputs make them. */
export function argsFor(k: Kernel, n: number): ArgSpec[] {
  const sample = makeInputs(k, { n, seed: 1 });
  const specs = k.params.map((p, i): ArgSpec => {
    const a = sample[i]!;
    if (p.kind === 'scalar' || typeof a === 'number')
      return { kind: 'scalar', value: typeof a === 'number' ? a : n };
    const range = INT_RANGE[p.dtype];
    // Rows: the IR's inputs are jagged; the benchmark gives every row the longest of them.
    const rows = p.rank === 2 ? Array.from(a as ArrayLike<unknown>) : [];
    const rowLength = Math.max(1, ...rows.map((r) => (r as ArrayLike<number>).length));
    return {
      kind: 'array',
      dtype: argDtype(p.dtype),
      length: a.length,
      ...(range ? { min: range[0], max: range[1] } : {}),
      ...(p.rank === 2 ? { rowLength } : {}),
    };
  });
  return fitIndexArrays(k, specs, n);
}

/**
 * Size-free argument specs (every array of length n, scalars fixed) for a size sweep, or undefined when
 * the kernel's shapes do not follow one n (2-D nests, size parameters, fixed-size tables).
 */
export function sweepArgsFor(k: Kernel): ArgSpec[] | undefined {
  const a = argsFor(k, 1000);
  const b = argsFor(k, 2000);
  const oneD = a.every((x, i) => {
    const y = b[i]!;
    if (x.kind === 'array') return y.kind === 'array' && x.length === 1000 && y.length === 2000;
    return y.kind === 'scalar' && x.value === y.value;
  });
  if (!oneD) return undefined;
  return a.map((x) =>
    x.kind === 'array'
      ? {
          kind: 'array',
          dtype: x.dtype,
          ...(x.min !== undefined ? { min: x.min } : {}),
          ...(x.max !== undefined ? { max: x.max } : {}),
        }
      : x,
  );
}

/** How the original receives arrays: as `number[]` when any parameter is one, else typed arrays. */
export function originalForm(k: Kernel): InputForm {
  return k.params.some((p) => p.kind === 'array' && p.container === 'array') ? 'array' : 'typed';
}

/** Writes the kernel's plain-JS module (`export function <name>`) for the original variants. */
export async function writeOriginal(k: Kernel, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${k.name}.original.mjs`);
  await writeFile(file, await transformTs(kernelToTs(k), dir, `${k.name}.original.ts`));
  return file;
}

/** The spec of one loop's benchmark; `replay` (the recorded or guessed shape) replaces the sizes of n. */
export function benchSpecFor(
  k: Kernel,
  n: number,
  original: string,
  built: readonly BuiltTarget[],
  source?: SourceLocation,
  replay?: ReplayShape,
): { spec: BenchSpec; notes: string[] } {
  const form = originalForm(k);
  const notes: string[] = [];
  const variants: Variant[] = [
    {
      id: 'original',
      label: 'original JS',
      module: original,
      export: k.name,
      input: form,
      ...(source ? { source } : {}),
    },
  ];
  if (form === 'array') {
    variants.push({
      id: 'js-typed',
      label: 'JS on Float64Array',
      module: original,
      export: k.name,
      input: 'typed',
    });
  } else {
    notes.push(
      'The original already takes typed arrays, so there is no separate plain-JS Float64Array rewrite.',
    );
  }
  for (const b of built) {
    const common = {
      module: b.entry,
      export: k.name,
      reassociates: b.properties.reassociates,
      f32: b.properties.precision === 'f32',
    };
    // A number[] original: each target twice — the caller's number[] converted on every call (what
    // applying the rewrite gives today), and the data already in a Float64Array (an upstream change).
    variants.push({
      id: b.target,
      label:
        form !== 'array'
          ? TARGET_LABEL[b.target]
          : b.target === 'js'
            ? `${TARGET_LABEL[b.target]} (number[] as is, no conversion)`
            : `${TARGET_LABEL[b.target]} (converted per call)`,
      input: form,
      ...common,
    });
    if (form === 'array')
      variants.push({
        // 'js-typed' is the plain original on a Float64Array (above): the tuned JS's twin is named apart.
        id: b.target === 'js' ? 'js-tuned-typed' : `${b.target}-typed`,
        label: `${TARGET_LABEL[b.target]} (data already typed)`,
        input: 'typed',
        ...common,
      });
  }
  if (form === 'array' && built.length) {
    notes.push(
      'The original takes number[]: each rewrite is measured twice. "converted per call" is what applying it does to today\'s callers, and the verdict for applying (hotloop apply --all) uses it; "data already typed" assumes the array is built as a Float64Array upstream (zero-copy for native, one copy for wasm).',
    );
  }
  const lib = libraryMatchFor(k);
  if (lib) {
    variants.push({
      id: 'library',
      label: `kernel library: ${lib.routine}`,
      module: 'builtin:library',
      export: lib.export,
      input: 'typed',
      reassociates: true,
      ...(lib.argOrder ? { argOrder: lib.argOrder } : {}),
    });
    notes.push(
      `The bundled kernel library computes the same as this loop up to reassociation: kernels.${lib.call}.`,
    );
  }
  const args = replay?.args ?? argsFor(k, n);
  return {
    spec: {
      kernel: k.name,
      variants,
      args,
      n: replay?.n ?? n,
      seed: 42,
      ir: k,
      ...(source ? { source } : {}),
      ...(replay ? { shape: replay.shape } : {}),
    },
    notes,
  };
}

/**
 * Variants that reassociate (the kernel library, SIMD/thread scaffolds) state the error that costs on
 * the benchmark's inputs: "reassociates (max rel. error 2.1e-16)" in their label, shown whether or not
 * the error is within the tolerance (a WRONG one is still listed, never dropped).
 */
export function stateReassociation(r: BenchResult): BenchResult {
  const variants = r.variants.map((v) => {
    const spec = v.correctness;
    if (v.id !== 'library' || spec.status === 'error' || / reassociates \(/.test(v.label)) return v;
    const rel = spec.maxRelError ?? (spec.maxError === 0 ? 0 : undefined);
    return {
      ...v,
      label: `${v.label} — reassociates (max rel. error ${rel === undefined ? 'unknown' : rel.toPrecision(2)})`,
    };
  });
  return { ...r, variants };
}
