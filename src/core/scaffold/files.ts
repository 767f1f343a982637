// The files every target's scaffold shares: original.ts, package.json, tsconfig.json, check.ts
// (fast path vs original on recorded inputs) and the kernel's README.
import type { Kernel, KernelArg } from '../ir/types.js';
import type { EmitContext, EmitResult, GeneratedFile, TargetName } from './types.js';
import { kernelToTs } from './common/tsEmit.js';
import { wasmBuildScript } from './wasm/emit.js';
import { LOCATE_TS } from './wrapperSupport.js';
import { usesLibm } from '../ir/tolerance.js';
import { JS_BUILD_SCRIPT } from './js/folder.js';

type Ok = Extract<EmitResult, { ok: true }>;

function buildScript(target: TargetName): string {
  if (target === 'js') return JS_BUILD_SCRIPT;
  return target === 'wasm' ? wasmBuildScript() : 'tsc -p tsconfig.json';
}

function packageJson(name: string, target: TargetName, r: Ok, ctx: EmitContext, shared: boolean): string {
  return (
    JSON.stringify(
      {
        name: `hotloop-${name.toLowerCase()}-${target}`,
        private: true,
        type: 'module',
        main: './dist/index.js',
        types: './dist/index.d.ts',
        scripts: { build: buildScript(target), check: 'node dist/check.js', ...r.scripts },
        // With a shared toolchain (../package.json, installed once for every folder) the folder declares none.
        ...(shared ? {} : { dependencies: r.dependencies, devDependencies: r.devDependencies }),
        // npm would otherwise run `node-gyp rebuild` on `npm install` too; the README's build step compiles once.
        ...(target === 'native' ? { gypfile: false } : {}),
        // Where the kernel came from: \`hotloop apply --all\` finds the loop to replace from here.
        hotloop: {
          target,
          kernel: name,
          ...(ctx.source ? { source: ctx.source } : {}),
          ...(shared ? { toolchain: '../package.json' } : {}),
        },
      },
      null,
      2,
    ) + '\n'
  );
}

const TSCONFIG =
  JSON.stringify(
    {
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        declaration: true,
        outDir: 'dist',
        rootDir: '.',
        skipLibCheck: true,
        types: ['node'],
      },
      include: ['*.ts'],
    },
    null,
    2,
  ) + '\n';

/** Encodes sample inputs as JSON-safe data (typed arrays by constructor name, non-finite numbers as strings). */
export function encodeInputs(args: readonly KernelArg[]): unknown[] {
  const enc = (v: number): number | string => (Number.isFinite(v) ? v : String(v));
  return args.map((a) => {
    if (typeof a === 'number') return enc(a);
    if (Array.isArray(a)) return { array: 'number[]', values: a.map(enc) };
    return { array: a.constructor.name, values: Array.from(a, enc) };
  });
}

/**
 * The check's agreement rule in f64: exact, except n·2⁻⁵⁰ for a target that reassociates sums, and
 * 2⁻⁴⁸ (≈ 16 ulps at 1) for native code calling libm's transcendental functions, which round
 * differently from V8's in the last ulp or so (the native notes say so).
 */
function f64Agreement(target: TargetName, k: Kernel, r: Ok): string {
  if (r.properties.reassociates)
    return 'Math.abs(a - b) <= Math.max(1, n) * 2 ** -50 * Math.max(Math.abs(a), Math.abs(b), 1)';
  if (target === 'native' && usesLibm(k))
    return 'Math.abs(a - b) <= 2 ** -48 * Math.max(Math.abs(a), Math.abs(b), 1)';
  return 'false';
}

function checkFile(
  target: TargetName,
  k: Kernel,
  name: string,
  r: Ok,
  inputs: readonly KernelArg[] | undefined,
): string {
  const call = r.properties.async ? 'await fast' : 'fast';
  const sample = JSON.stringify(inputs ? encodeInputs(inputs) : []);
  return `import { ${name} as fast } from './index.js';
import { ${name} as original } from './original.js';
${
  target === 'gpu'
    ? `
// No HOTLOOP_STRICT here: without a WebGPU adapter the GPU wrapper runs the original with a warning,
// which \`hotloop build\` reports as "shaders not exercised" instead of a failure.
`
    : `
// A fallback to the original would make this check compare the original with itself: make it an error.
// (The wrapper loads its fast path on the first call, after this line.)
process.env.HOTLOOP_STRICT = '1';
`
}
// Inputs recorded when the scaffold was made (typed arrays by constructor name; NaN/Infinity as strings).
const SAMPLE: unknown[] = ${sample};

type Arr = Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array | Uint8ClampedArray | number[];
const CTORS: Record<string, new (values: number[]) => Arr> = {
  Float64Array, Float32Array, Int32Array, Uint32Array, Int16Array, Uint16Array, Int8Array, Uint8Array, Uint8ClampedArray,
};

function decode(v: unknown): number | Arr {
  const num = (x: unknown): number => (typeof x === 'string' ? Number(x) : (x as number));
  if (typeof v !== 'object' || v === null) return num(v);
  const { array, values } = v as { array: string; values: unknown[] };
  const nums = values.map(num);
  return array === 'number[]' ? nums : new CTORS[array](nums);
}

/** Results agree when equal, both NaN, or within the target's rounding: n·2⁻⁵⁰ for reassociated f64 sums, 2⁻⁴⁸ for native libm calls, (8 + log₂n)·2⁻²³ for f32. */
function close(a: number, b: number, n: number): boolean {
  if (Object.is(a, b) || a === b || (Number.isNaN(a) && Number.isNaN(b))) return true;
  return ${
    r.properties.precision === 'f32'
      ? 'Math.abs(a - b) <= (8 + Math.log2(Math.max(2, n))) * 2 ** -23 * Math.max(Math.abs(a), Math.abs(b), 1)'
      : f64Agreement(target, k, r)
  };
}

function same(a: unknown, b: unknown, n: number): boolean {
  if (typeof a === 'number' && typeof b === 'number') return close(a, b, n);
  if (ArrayBuffer.isView(a) || Array.isArray(a)) {
    const x = a as ArrayLike<number>;
    const y = b as ArrayLike<number>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!close(x[i], y[i], n)) return false;
    return true;
  }
  return a === b;
}

// In a function, not top-level await: this file also type-checks in a CommonJS host project.
async function main(): Promise<void> {
  const expectedArgs = SAMPLE.map(decode);
  const actualArgs = SAMPLE.map(decode);
  const n = Math.max(1, ...expectedArgs.map((a) => (typeof a === 'number' ? 1 : a.length)));
  const call = original as (...args: unknown[]) => unknown;
  const want = call(...expectedArgs);
  const run = fast as (...args: unknown[]) => unknown;
  const got: unknown = ${call.replace('fast', 'run')}(...actualArgs);
  const ok = same(want, got, n) && expectedArgs.every((a, i) => same(a, actualArgs[i], n));
  console.log(ok ? 'check: ${name} matches the original' : 'check: ${name} DIFFERS from the original');
  process.exitCode = ok ? 0 : 1;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
`;
}

function readme(
  k: Kernel,
  name: string,
  target: TargetName,
  title: string,
  ctx: EmitContext,
  r: Ok,
  files: readonly GeneratedFile[],
): string {
  const from = ctx.source
    ? `\`${ctx.source.file}\`${ctx.source.line ? ` line ${ctx.source.line}` : ''}`
    : 'the analysed source';
  const lines = [
    `# ${name} — ${title}`,
    '',
    `A ${target} rewrite of \`${name}\` (${k.pattern}) from ${from}, scaffolded by Hotloop.`,
    `\`index.ts\` exports \`${name}\` with the original signature${r.properties.async ? ' (returning a Promise)' : ''}; it falls back to`,
    '`original.ts` (the original function) with one warning when the fast path cannot load.',
    '',
    '## Build and check',
    '',
    '```sh',
    ...r.commands.build,
    ...r.commands.check,
    '```',
    '',
    '`npm run check` runs the fast path and the original on recorded inputs and compares them.',
    '',
    '## Notes',
    '',
    ...r.notes.map((n) => `- ${n}`),
    '',
    '## Files',
    '',
    ...files.map((f) => `- \`${f.path}\` (${f.role})`),
    '',
  ];
  return lines.join('\n');
}

/** The target's files plus the shared ones, all without marker headers. */
export function completeFiles(
  k: Kernel,
  target: TargetName,
  title: string,
  ctx: EmitContext,
  r: Ok,
  inputs?: readonly KernelArg[],
  sharedToolchain = false,
): GeneratedFile[] {
  const name = ctx.exportName;
  const files: GeneratedFile[] = [
    ...r.files,
    { path: 'locate.ts', role: 'runtime', contents: LOCATE_TS },
    {
      path: 'original.ts',
      role: 'original',
      contents: `// The original \`${name}\`, for the fallback and for \`npm run check\`.\n\n${kernelToTs(k, name)}`,
    },
    { path: 'check.ts', role: 'build', contents: checkFile(target, k, name, r, inputs) },
    { path: 'package.json', role: 'build', contents: packageJson(name, target, r, ctx, sharedToolchain) },
    { path: 'tsconfig.json', role: 'build', contents: TSCONFIG },
  ];
  const withReadme = [...files, { path: 'README.md', role: 'readme' as const, contents: '' }];
  return [
    ...files,
    { path: 'README.md', role: 'readme', contents: readme(k, name, target, title, ctx, r, withReadme) },
  ];
}
