// Builds the native and GPU scaffolds of many kernels at once, for benchmarks and batch checks:
// ONE addon (node-gyp, several translation units) holding every native kernel, and the GPU
// scaffolds' host modules next to one shared WebGPU runtime.
import { createRequire } from 'node:module';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transformSync } from 'esbuild';
import type { Kernel, KernelArg } from '../../src/core/ir/types.js';
import { kernelToTs } from '../../src/core/scaffold/common/tsEmit.js';
import { nativeKernelSource, nativeModuleParts } from '../../src/core/scaffold/native/glue.js';
import { CPP_PRELUDE } from '../../src/core/scaffold/native/prelude.js';
import { bindingGyp } from '../../src/core/scaffold/native/emit.js';
import { gpuEmitter } from '../../src/core/scaffold/gpu/emit.js';
import { GPU_RUNTIME_TS } from '../../src/core/scaffold/gpu/runtime.js';
import { GPU_BACKEND_TS } from '../../src/core/scaffold/gpu/backend.js';
import { LOCATE_TS } from '../../src/core/scaffold/wrapperSupport.js';
import { REPO, buildAddon } from './nativeBuild.js';

export type Fn = (...args: KernelArg[]) => unknown;

export interface NativeGpuBatch {
  readonly native: ReadonlyMap<string, Fn>;
  /** The `<name>Async` entries of the native kernels (a Promise; the AsyncWorker path). */
  readonly nativeAsync: ReadonlyMap<string, Fn>;
  readonly gpu: ReadonlyMap<string, Fn>;
  /** Why a kernel has no native or GPU version. */
  readonly declined: readonly string[];
  close(): Promise<void>;
}

const js = (ts: string): string => transformSync(ts, { loader: 'ts', format: 'esm', target: 'es2022' }).code;

export async function buildNativeGpuBatch(
  kernels: readonly Kernel[],
  opts: { native?: boolean; gpu?: boolean } = {},
): Promise<NativeGpuBatch> {
  const dir = await mkdtemp(join(tmpdir(), 'hotloop-native-gpu-'));
  await symlink(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
  const declined: string[] = [];
  const native = new Map<string, Fn>();
  const nativeAsync = new Map<string, Fn>();
  const gpu = new Map<string, Fn>();
  if (opts.native ?? true) {
    const sources = [];
    const names: string[] = [];
    for (const k of kernels) {
      try {
        sources.push(nativeKernelSource(k, k.name));
        names.push(k.name);
      } catch (err) {
        declined.push(`${k.name} native: ${String(err)}`);
      }
    }
    const nd = join(dir, 'native');
    await mkdir(join(nd, 'src'), { recursive: true });
    await symlink(join(REPO, 'node_modules'), join(nd, 'node_modules'));
    const parts = nativeModuleParts(CPP_PRELUDE, sources, 2);
    for (const f of parts) await writeFile(join(nd, f.path), f.source);
    await writeFile(join(nd, 'binding.gyp'), bindingGyp(parts.map((f) => f.path)));
    await buildAddon(nd);
    const addon = createRequire(import.meta.url)(join(nd, 'build/Release/kernel.node')) as Record<string, Fn>;
    for (const n of names) {
      native.set(n, addon[n]!);
      nativeAsync.set(n, addon[`${n}Async`]!);
    }
  }
  if (opts.gpu ?? true) {
    await writeFile(join(dir, 'runtime.js'), js(GPU_RUNTIME_TS));
    await writeFile(join(dir, 'locate.js'), js(LOCATE_TS));
    await writeFile(join(dir, 'backend.js'), js(GPU_BACKEND_TS));
    for (const k of kernels) {
      const r = gpuEmitter.emit(k, { exportName: k.name });
      if (!r.ok) {
        declined.push(`${k.name} gpu: ${r.reason}`);
        continue;
      }
      await writeFile(join(dir, `${k.name}.original.js`), js(kernelToTs(k)));
      const index = r.files
        .find((f) => f.path === 'index.ts')!
        .contents.replace("'./original.js'", `'./${k.name}.original.js'`);
      await writeFile(join(dir, `${k.name}.gpu.js`), js(index));
      const m = (await import(pathToFileURL(join(dir, `${k.name}.gpu.js`)).href)) as Record<string, Fn>;
      gpu.set(k.name, m[k.name]!);
    }
  }
  return { native, nativeAsync, gpu, declined, close: () => rm(dir, { recursive: true, force: true }) };
}
