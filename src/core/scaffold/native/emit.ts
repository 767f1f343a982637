// The native target: a C++17 node-addon-api module generated from the IR — binding.gyp with a
// pinned NAPI_VERSION, the kernel .cc, a synchronous entry and an AsyncWorker Promise entry,
// zero-copy typed arrays, `number[]` converted element by element (the boundary cost the talk
// measured), TypeErrors for bad arguments, node-gyp-build loading, a prebuildify script for
// per-platform binaries and a sanitizer build. Compiled without -ffast-math and with
// -ffp-contract=off, so results equal the JS ones except where libm and V8 round a transcendental
// function differently (≤ a few ulps; the tolerance says so).
import { guardFunction, hasGuards } from '../common/guards.js';
import type { Kernel } from '../../ir/types.js';
import type { EmitContext, EmitResult, Emitter, GeneratedFile } from '../types.js';
import { Lines, paramType, returnType } from '../common/tsEmit.js';
import { CPP_PRELUDE } from './prelude.js';
import { nativeKernelSource, nativeModuleSource } from './glue.js';
import { libraryRoutineFor } from './library.js';

/** Node-API version the addons target: 8 is in every supported Node and in VS Code's Electron. */
export const NAPI_VERSION = 8;

/** Elements (summed over array arguments) above which `<name>Async` uses the AsyncWorker. Measured by
 * bench/scaffold.ts: queueing an AsyncWorker and settling its Promise costs ≈ 20–60 µs here, the
 * time a memory-bound kernel spends on ≈ 10⁵ elements; 2¹⁸ keeps the thread hop under ~10 %. */
export const ASYNC_MIN_ELEMENTS = 262144;

/** binding.gyp of a native scaffold (target `kernel`). `sanitize=1` builds with ASan + UBSan. */
export function bindingGyp(sources: readonly string[] = ['src/kernel.cc']): string {
  return (
    JSON.stringify(
      {
        variables: { 'sanitize%': 0, 'fast_math%': 0 },
        targets: [
          {
            target_name: 'kernel',
            sources,
            include_dirs: ['<!(node -p "require(\'node-addon-api\').include_dir")'],
            defines: [
              `NAPI_VERSION=${NAPI_VERSION}`,
              'NAPI_DISABLE_CPP_EXCEPTIONS',
              'NODE_ADDON_API_DISABLE_DEPRECATED',
            ],
            // -fno-strict-aliasing: views of different element types may share a buffer, as in JS.
            // -fno-math-errno: JS has no errno, and the same results; without it g++ keeps a libm
            // call for a negative sqrt argument and cannot vectorise a loop that takes square roots
            // (fili's Fft.magnitude kernel ran 1.98× faster with it, 5 Dec 2026).
            cflags_cc: [
              '-std=c++17',
              '-O3',
              '-ffp-contract=off',
              '-fno-math-errno',
              '-fno-strict-aliasing',
              '-fvisibility=hidden',
            ],
            conditions: [
              [
                'sanitize==1',
                {
                  'cflags_cc+': [
                    '-fsanitize=address,undefined',
                    '-fno-sanitize-recover=undefined',
                    '-fno-omit-frame-pointer',
                    '-g',
                  ],
                  'ldflags+': ['-fsanitize=address,undefined'],
                },
              ],
              // Opt-in only: reassociates and ignores NaN/Infinity rules, so results may differ from the JS.
              ['fast_math==1', { 'cflags_cc+': ['-ffast-math'] }],
              [
                'OS=="mac"',
                {
                  xcode_settings: {
                    CLANG_CXX_LANGUAGE_STANDARD: 'c++17',
                    OTHER_CPLUSPLUSFLAGS: [
                      '-O3',
                      '-ffp-contract=off',
                      '-fno-math-errno',
                      '-fno-strict-aliasing',
                    ],
                  },
                },
              ],
              [
                'OS=="win"',
                { msvs_settings: { VCCLCompilerTool: { AdditionalOptions: ['/std:c++17', '/fp:precise'] } } },
              ],
            ],
          },
        ],
      },
      null,
      2,
    ) + '\n'
  );
}

/** The sanitizer script of a native scaffold: ASan+UBSan build, `dist/check.js` under it, normal rebuild. */
export const SANITIZE_MJS = `// Builds the addon with AddressSanitizer + UndefinedBehaviorSanitizer, runs the check against it,
// then rebuilds the normal addon. Linux/gcc; run after \`npm run build\`.
import { execFileSync, spawnSync } from 'node:child_process';

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) {
    console.error(\`sanitize: \${cmd} \${args.join(' ')} failed (exit \${r.status})\`);
    process.exit(r.status ?? 1);
  }
}
const lib = (name) => execFileSync('g++', [\`-print-file-name=\${name}\`]).toString().trim();

run('npx', ['node-gyp', 'rebuild', '--', '-Dsanitize=1']);
run(process.execPath, ['dist/check.js'], {
  LD_PRELOAD: lib('libasan.so'),
  ASAN_OPTIONS: 'detect_leaks=0',
  UBSAN_OPTIONS: 'halt_on_error=1:print_stacktrace=1',
});
run('npx', ['node-gyp', 'rebuild']);
console.log('sanitize: ASan + UBSan clean');
`;

function arrayElements(k: Kernel): string {
  const arrays = k.params.filter((p) => p.kind === 'array').map((p) => `${p.name}.length`);
  return arrays.length ? arrays.join(' + ') : '0';
}

/** The wrapper's parameters: a `number[]` parameter (or row) also takes a Float64Array (zero-copy in the addon). */
function wrapperParams(k: Kernel): string {
  return k.params
    .map((p) => {
      if (p.kind !== 'array' || p.container !== 'array') return `${p.name}: ${paramType(p)}`;
      return `${p.name}: ${p.rank === 2 ? '(number[] | Float64Array)[]' : 'number[] | Float64Array'}`;
    })
    .join(', ');
}

function indexFile(k: Kernel, name: string): string {
  const sig = wrapperParams(k);
  const ret = returnType(k);
  const args = k.params.map((p) => p.name).join(', ');
  // The original's own parameter types: a Float64Array passed for a number[] reads and writes the same in JS.
  const origArgs = `...([${args}] as unknown as Parameters<typeof original>)`;
  const out = new Lines();
  out.line("import { createRequire } from 'node:module';");
  out.line("import { dirname, join } from 'node:path';");
  out.line(`import { ${name} as original } from './original.js';`);
  out.line("import { fallback, findArtefact, searched } from './locate.js';");
  out.line();
  out.block('interface Addon', () => {
    out.line(`${name}(${sig}): ${ret};`);
    out.line(`${name}Async(${sig}): Promise<${ret}>;`);
  });
  out.line();
  out.line(
    '/** The addon (prebuilt for this platform, or built locally) from the folder with binding.gyp, or why not. */',
  );
  out.block('function load(): Addon | string', () => {
    out.line("const gyp = findArtefact('binding.gyp');");
    out.line("if (!gyp) return 'binding.gyp not found (looked in ' + searched('binding.gyp') + ')';");
    out.block(
      'try',
      () => {
        out.line("const require = createRequire(join(dirname(gyp), 'package.json'));");
        out.line("const nodeGypBuild = require('node-gyp-build') as (dir: string) => Addon;");
        out.line('return nodeGypBuild(dirname(gyp));');
      },
      '} catch (err) {',
    );
    out.indent();
    out.line(
      "return (err instanceof Error ? err.message.split('\\n')[0] : String(err)) + '; build it with npm run build';",
    );
    out.dedent().line('}');
  });
  out.line();
  out.line('let loaded: Addon | string | undefined;');
  out.line();
  out.line(
    '/** The addon, loaded on first use (so HOTLOOP_STRICT set by a test before the first call applies). */',
  );
  out.block('function addon(): Addon | undefined', () => {
    out.line('loaded ??= load();');
    out.line("if (typeof loaded !== 'string') return loaded;");
    out.line(`fallback('${name}', 'native', loaded);`);
    out.line('return undefined;');
  });
  out.line();
  out.line("/** Which implementation runs: 'native' or 'original' (the addon did not load). */");
  out.block("export function backend(): 'native' | 'original'", () => {
    out.line('loaded ??= load();');
    out.line("return typeof loaded === 'string' ? 'original' : 'native';");
  });
  out.line();
  out.line(
    '/** Elements above which the Async entry runs off the JS thread (below, the thread hop costs more than it saves). */',
  );
  out.line(`export const ASYNC_MIN_ELEMENTS = ${ASYNC_MIN_ELEMENTS};`);
  out.line();
  const guarded = hasGuards(k);
  if (guarded) {
    guardFunction(out, k, name, sig, { target: 'native', typed: 'numeric-unless-readwrite' });
    out.line();
  }
  out.line('/**');
  out.line(
    ` * \`${name}\` as a native addon: same arguments and results as the original. Typed arrays are used in`,
  );
  out.line(
    ' * place (zero-copy, views honoured), and a Float64Array is taken where the original has a `number[]`; a',
  );
  out.line(
    ' * `number[]` is converted element by element on every call, which costs more than the loop itself for',
  );
  out.line(' * cheap kernels — pass a Float64Array where you can.');
  out.line(' */');
  const applies = guarded ? ` && fastPathApplies(${args})` : '';
  out.block(`export function ${name}(${sig}): ${ret}`, () => {
    out.line('const hotloopAddon = addon();');
    out.line(`return hotloopAddon${applies} ? hotloopAddon.${name}(${args}) : original(${origArgs});`);
  });
  out.line();
  out.line(
    '/** The same, returning a Promise; large inputs run on a worker thread (keep the arrays untouched until it settles). */',
  );
  out.block(`export async function ${name}Async(${sig}): Promise<${ret}>`, () => {
    out.line('const hotloopAddon = addon();');
    out.line(`if (!(hotloopAddon${applies})) return original(${origArgs});`);
    out.line(
      `return ${arrayElements(k)} >= ASYNC_MIN_ELEMENTS ? hotloopAddon.${name}Async(${args}) : hotloopAddon.${name}(${args});`,
    );
  });
  return out.text();
}

/** The native (node-addon-api C++) emitter. */
export const nativeEmitter: Emitter = {
  target: 'native',
  title: 'Native addon (node-addon-api, C++17)',
  properties: { reassociates: false, precision: 'f64', async: false },
  emit(k: Kernel, ctx: EmitContext): EmitResult {
    let kernelSource;
    try {
      kernelSource = nativeKernelSource(k, ctx.exportName);
    } catch (err) {
      return {
        ok: false,
        reason: `cannot lower to C++: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
    const cc = `// C++ for \`${ctx.exportName}\` (node-addon-api, Node-API ${NAPI_VERSION}).\n\n${nativeModuleSource(CPP_PRELUDE, [kernelSource])}`;
    const numberArrays = k.params
      .filter((p) => p.kind === 'array' && p.container === 'array')
      .map((p) => p.name);
    const notes = [
      `Node-API ${NAPI_VERSION}; built with -O3 -ffp-contract=off -fno-math-errno and without -ffast-math, so + − × ÷ round exactly as in JS.`,
      'Reductions keep the original order: results equal the JS ones, except libm transcendentals (sin, exp, …) may differ in the last ulp.',
      "Loops whose indices are proven in range when they start run a copy without bounds checks (vectorised by the compiler); the others keep JS's out-of-range behaviour.",
      `\`${ctx.exportName}Async\` returns a Promise and runs on a worker thread from ${ASYNC_MIN_ELEMENTS} elements up.`,
      'Typed arrays are used in place (zero-copy, subarray views honoured); wrong argument types throw TypeError.',
      '`npm run prebuildify` makes per-platform binaries (prebuilds/<platform>-<arch>/*.node) that node-gyp-build loads first.',
      '`npm run sanitize` builds with AddressSanitizer + UndefinedBehaviorSanitizer and runs the check (Linux, gcc).',
      'Opt-in fast math: `npx node-gyp rebuild -- -Dfast_math=1` (reassociates, ignores NaN rules: results may differ).',
    ];
    const routine = libraryRoutineFor(k);
    if (routine) {
      notes.unshift(
        `This kernel computes what Hotloop's bundled kernel library already does — \`kernels.${routine}\` (SIMD, threads for large n, an \`…Async\` entry, tested): consider calling it instead of maintaining this C++.`,
      );
    }
    const rowArgs = k.params.filter((p) => p.kind === 'array' && p.rank === 2).map((p) => p.name);
    if (rowArgs.length)
      notes.push(
        `\`${rowArgs.join('`, `')}\` (arrays of rows) are read row by row: typed rows in place, number[] rows copied into one buffer (and written back); a missing row throws the TypeError the JS throws; unlike JS, a write past a number[] row's length is dropped.`,
      );
    if (numberArrays.length) {
      notes.push(
        `\`${numberArrays.join('`, `')}\` (number[]) are converted element by element on every call (~40–50 ns each): for cheap kernels that costs more than the loop.`,
      );
    }
    const files: GeneratedFile[] = [
      { path: 'src/kernel.cc', role: 'kernel', contents: cc },
      { path: 'binding.gyp', role: 'build', contents: bindingGyp() },
      { path: 'index.ts', role: 'wrapper', contents: indexFile(k, ctx.exportName) },
      { path: 'sanitize.mjs', role: 'build', contents: SANITIZE_MJS },
    ];
    return {
      ok: true,
      files,
      notes,
      commands: { build: ['npm install', 'npm run build'], check: ['npm run check', 'npm run sanitize'] },
      dependencies: { 'node-addon-api': '^8.9.2', 'node-gyp-build': '^4.8.4' },
      devDependencies: {
        'node-gyp': '^11.5.0',
        prebuildify: '^6.0.1',
        typescript: '~6.0.3',
        '@types/node': '^20.19.0',
      },
      scripts: {
        build: 'node-gyp rebuild && tsc -p tsconfig.json',
        // Not `prebuild`: npm would run that before every `npm run build`.
        prebuildify: 'prebuildify --napi --strip',
        sanitize: 'node sanitize.mjs',
      },
      properties: { reassociates: false, precision: 'f64', async: false },
    };
  },
};
