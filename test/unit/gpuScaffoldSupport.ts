// Shared by the GPU scaffold tests: a temporary folder with the generated runtime files (the shared
// runtime, locate and backend modules), each kernel's wrapper + original loaded from it, and inputs.
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transformSync } from 'esbuild';
import type { Kernel, KernelArg, KernelOutput } from '../../src/core/ir/types.js';
import { kernelToTs } from '../../src/core/scaffold/common/tsEmit.js';
import { gpuEmitter } from '../../src/core/scaffold/gpu/emit.js';
import { GPU_RUNTIME_TS } from '../../src/core/scaffold/gpu/runtime.js';
import { GPU_BACKEND_TS } from '../../src/core/scaffold/gpu/backend.js';
import { LOCATE_TS } from '../../src/core/scaffold/wrapperSupport.js';
import { REPO } from './nativeBuild.js';

export type Fn = (...args: KernelArg[]) => Promise<unknown>;
export interface Locate {
  fallbackCount(): number;
}

export const js = (ts: string): string =>
  transformSync(ts, { loader: 'ts', format: 'esm', target: 'es2022' }).code;

/** The runtime files every GPU scaffold folder has, as JS, by file name. */
export const RUNTIME_FILES: readonly (readonly [string, string])[] = [
  ['runtime.js', GPU_RUNTIME_TS],
  ['locate.js', LOCATE_TS],
  ['backend.js', GPU_BACKEND_TS],
];

export function outputOf(k: Kernel, args: readonly KernelArg[], result: unknown): KernelOutput {
  const written: Record<string, KernelArg> = {};
  k.params.forEach((p, i) => {
    if (p.kind === 'array' && p.access !== 'read') written[p.name] = args[i]!;
  });
  return { result: result as KernelOutput['result'], written };
}

export function argsOf(
  k: Kernel,
  sizes: Record<string, number>,
  scalars: Record<string, number>,
): KernelArg[] {
  let x = 12345;
  const rnd = (): number => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 30 - 1;
  return k.params.map((p) => {
    if (p.kind !== 'array') return scalars[p.name]!;
    const values = Array.from({ length: sizes[p.name]! }, rnd);
    return p.container === 'typed' && p.dtype === 'f32'
      ? Float32Array.from(values)
      : Float64Array.from(values);
  });
}

/** A temporary scaffold folder: open() before the tests, close() after. */
export class GpuScaffoldDir {
  dir = '';

  async open(): Promise<void> {
    this.dir = await mkdtemp(join(tmpdir(), 'hotloop-gpu-fuzz-'));
    await symlink(join(REPO, 'node_modules'), join(this.dir, 'node_modules'));
    await writeFile(join(this.dir, 'package.json'), '{ "type": "module" }\n');
    for (const [name, ts] of RUNTIME_FILES) await writeFile(join(this.dir, name), js(ts));
  }

  async close(): Promise<void> {
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }

  /** Writes a kernel's generated index + original next to the shared runtime and imports its module. */
  async loadModule(k: Kernel, cuda = false): Promise<Record<string, unknown>> {
    const r = gpuEmitter.emit(k, { exportName: k.name, cuda });
    if (!r.ok) throw new Error(r.reason);
    await writeFile(join(this.dir, `${k.name}.original.js`), js(kernelToTs(k)));
    const index = r.files
      .find((f) => f.path === 'index.ts')!
      .contents.replace("'./original.js'", `'./${k.name}.original.js'`);
    const file = join(this.dir, `${k.name}${cuda ? '.cuda' : ''}.js`);
    await writeFile(file, js(index));
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  }

  async load(k: Kernel): Promise<Fn> {
    return (await this.loadModule(k))[k.name] as Fn;
  }

  /** A module of the folder (runtime.js, locate.js…). */
  async module<T>(name: string): Promise<T> {
    return (await import(pathToFileURL(join(this.dir, name)).href)) as T;
  }
}
