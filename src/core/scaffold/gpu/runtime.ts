// The runtime file of every GPU scaffold (`runtime.ts` in the generated folder): one WebGPU device
// per process (Dawn through the `webgpu` package; a real GPU's Vulkan/Metal/D3D backend first,
// else OpenGL ES — Mesa's llvmpipe on a machine without a GPU — in compatibility mode), pipelines
// cached per shader, arrays uploaded once per call as f32, reductions' per-workgroup partials
// combined on the host in f64 and in order, written arrays read back at the end of the call — after
// the shaders' loop-limit flag says no invocation was cut short (Mesa llvmpipe ends an invocation
// after 65,535 loop iterations, silently; then the results are dropped and the original runs).
export const GPU_RUNTIME_TS = `import { create, globals } from 'webgpu';
import { fallback } from './locate.js';

export interface LoopSpec {
  readonly wgsl: string;
  readonly arrays: readonly { readonly name: string; readonly write: boolean }[];
  readonly floats: readonly string[];
  readonly ints: readonly string[];
  readonly reductions: readonly { readonly name: string; readonly op: 'sum' | 'prod' | 'min' | 'max' }[];
  /** Invocations: one per index, one per (i, j) pair, 16×16 (i, j) tiles per workgroup, one workgroup per row. */
  readonly layout: 'index' | 'pair' | 'tile' | 'row';
}

type Arr = Float64Array | Float32Array | Int32Array | readonly number[] | number[];

/** Thrown when an input is outside what the shaders take (a non-integer size, 2^31 elements…): the wrapper runs the original. */
export class Unsupported extends Error {}

const WORKGROUP = 64;
/** Workgroups of a reduction (one partial each, combined on the host). */
const MAX_REDUCE_GROUPS = 1024;
/** Workgroups of a map: the grid then covers 2^31 invocations, so t + total never wraps a u32. */
const MAX_MAP_GROUPS = 65535 * 512;
/** Words of the uniform block before the scalars: the grid, a collapsed nest's inner loop, a tiled gemm's k loop. */
const HEADER_WORDS = 12;
/** Mesa llvmpipe's limit on loop iterations per shader invocation (all loops together). */
export const LLVMPIPE_LOOP_LIMIT = 65535;
let opened: Promise<GPUDevice | undefined> | undefined;
/** The Dawn instance must outlive its devices: dropping it to the GC crashes the process. */
const instances: GPU[] = [];

/** No device: a warning once, or an error under HOTLOOP_STRICT=1 (see locate.ts). */
function warnOnce(why: string): void {
  fallback('the GPU kernels', 'WebGPU', 'no WebGPU device: ' + why);
}

async function open(): Promise<GPUDevice | undefined> {
  if (process.platform === 'linux') process.env.EGL_PLATFORM ??= 'surfaceless';
  Object.assign(globalThis, globals);
  const forced = process.env.HOTLOOP_WEBGPU_BACKEND;
  if (forced === 'off') {
    warnOnce('disabled by HOTLOOP_WEBGPU_BACKEND=off');
    return undefined;
  }
  const tries: string[][] = forced ? [[\`backend=\${forced}\`]] : [[], ['backend=opengles']];
  for (const options of tries) {
    const gpu = create(options);
    instances.push(gpu);
    const adapter = (await gpu.requestAdapter()) ?? (await gpu.requestAdapter({ featureLevel: 'compatibility' }));
    if (!adapter) continue;
    const l = adapter.limits;
    const info = adapter.info;
    adapterName = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') || 'unknown adapter';
    return adapter.requestDevice({
      requiredLimits: {
        maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
        maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
        maxBufferSize: l.maxBufferSize,
      },
    });
  }
  warnOnce('no adapter found');
  return undefined;
}

let adapterName = '';

/** The adapter of the process's device (vendor, architecture, device, description), once opened. */
export function adapterDescription(): string {
  return adapterName;
}

/** True on Mesa's llvmpipe (a CPU adapter with a loop limiter), by the adapter's own description. */
export function isLlvmpipe(): boolean {
  return /llvmpipe/i.test(adapterName);
}

/** The process's device, or undefined (with one warning) where WebGPU has no adapter. */
export async function device(): Promise<GPUDevice | undefined> {
  opened ??= open().catch((err: unknown) => {
    warnOnce(err instanceof Error ? err.message : String(err));
    return undefined;
  });
  return opened;
}

const pipelines = new WeakMap<GPUDevice, Map<string, GPUComputePipeline>>();

function pipeline(dev: GPUDevice, wgsl: string): GPUComputePipeline {
  let cache = pipelines.get(dev);
  if (!cache) pipelines.set(dev, (cache = new Map()));
  let p = cache.get(wgsl);
  if (!p) {
    p = dev.createComputePipeline({ layout: 'auto', compute: { module: dev.createShaderModule({ code: wgsl }), entryPoint: 'main' } });
    cache.set(wgsl, p);
  }
  return p;
}

function int32(v: number, what: string): number {
  if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) throw new Unsupported(\`\${what} = \${v} is not a 32-bit integer\`);
  return v;
}

async function readBuffer(dev: GPUDevice, src: GPUBuffer, bytes: number): Promise<Float32Array> {
  const staging = dev.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const enc = dev.createCommandEncoder();
  enc.copyBufferToBuffer(src, 0, staging, 0, bytes);
  dev.queue.submit([enc.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const out = new Float32Array(staging.getMappedRange().slice(0));
  staging.unmap();
  staging.destroy();
  return out;
}

const TILE = 16;

/** Workgroups, and the stride of the shader's grid loop (invocations, or workgroups for rows). */
function dispatchOf(layout: LoopSpec['layout'], reduces: boolean, rows: number, count2: number): { groups: number; total: number } {
  switch (layout) {
    case 'row': {
      const groups = Math.min(rows, MAX_MAP_GROUPS);
      return { groups, total: groups };
    }
    case 'tile': {
      const groups = Math.ceil(rows / TILE) * Math.ceil(count2 / TILE);
      if (groups > MAX_MAP_GROUPS) throw new Unsupported(\`\${groups} tiles\`);
      return { groups, total: groups * WORKGROUP };
    }
    case 'index':
    case 'pair': {
      const groups = Math.min(reduces ? MAX_REDUCE_GROUPS : MAX_MAP_GROUPS, Math.ceil((rows * count2) / WORKGROUP));
      return { groups, total: groups * WORKGROUP };
    }
  }
}

/** A loop's [start, end, step]. */
type Bounds = readonly [number, number, number];

/** The count of start, start + step, … below end (0 when empty). */
function trips(start: number, end: number, step: number): number {
  return end > start ? Math.ceil((end - start) / step) : 0;
}

/** Splits a workgroup count over x and y (x ≤ 65,535); the shaders linearise with num_workgroups. */
function grid(groups: number): [number, number] {
  return groups <= 65535 ? [groups, 1] : [65535, Math.ceil(groups / 65535)];
}

/** One call of a kernel: its arrays on the device, its loops dispatched in order. */
export class Call {
  private readonly buffers = new Map<string, GPUBuffer>();
  private readonly written = new Set<string>();
  /** Uniform buffers of dispatched loops, destroyed with the call (not while the queue may still use them). */
  private readonly transient: GPUBuffer[] = [];
  /** One word the shaders raise when a driver's loop limiter cut an invocation short. */
  private flag: GPUBuffer | undefined;

  private readonly dev: GPUDevice;
  private readonly arrays: Readonly<Record<string, Arr>>;

  constructor(dev: GPUDevice, arrays: Readonly<Record<string, Arr>>) {
    this.dev = dev;
    this.arrays = arrays;
  }

  private buffer(name: string): GPUBuffer {
    let b = this.buffers.get(name);
    if (!b) {
      const a = this.arrays[name];
      if (!a) throw new Error(\`hotloop gpu: no array '\${name}'\`);
      const data = Float32Array.from(a);
      b = this.dev.createBuffer({ size: Math.max(4, data.byteLength), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
      if (data.byteLength) this.dev.queue.writeBuffer(b, 0, data);
      this.buffers.set(name, b);
    }
    return b;
  }

  private uniform(spec: LoopSpec, header: readonly number[], scalars: Readonly<Record<string, number>>): GPUBuffer {
    const words = HEADER_WORDS + spec.ints.length + spec.floats.length + spec.arrays.length;
    const raw = new ArrayBuffer(Math.ceil((words * 4) / 16) * 16);
    const i32 = new Int32Array(raw);
    const f32 = new Float32Array(raw);
    // start, step, count, total, start2, step2, count2 (counts < 2^31: the same bits as u32).
    header.forEach((v, k) => (i32[k] = v));
    let w = HEADER_WORDS;
    for (const n of spec.ints) i32[w++] = int32(scalars[n] ?? NaN, n);
    for (const n of spec.floats) f32[w++] = scalars[n] ?? NaN;
    for (const a of spec.arrays) i32[w++] = this.arrays[a.name]!.length;
    const uniform = this.dev.createBuffer({ size: raw.byteLength, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    this.dev.queue.writeBuffer(uniform, 0, raw);
    this.transient.push(uniform);
    return uniform;
  }

  /**
   * Runs one parallel loop over [start, end) by step — with \`inner\` = [start2, end2, step2], a
   * collapsed nest over every (outer, inner) pair; with \`kloop\` too, a tiled gemm's k loop — and
   * returns each reduction's combined value (f64, in order).
   */
  async loop(spec: LoopSpec, start: number, end: number, step: number, scalars: Readonly<Record<string, number>>, inner?: Bounds, kloop?: Bounds): Promise<number[]> {
    const count2 = inner ? trips(inner[0], inner[1], inner[2]) : 1;
    const rows = trips(start, end, step);
    // A row reduction still runs its rows' epilogues when the rows are empty.
    const count = spec.layout === 'row' ? rows : rows * count2;
    const identity = spec.reductions.map((r) => (r.op === 'sum' ? 0 : r.op === 'prod' ? 1 : r.op === 'min' ? Infinity : -Infinity));
    if (count === 0) return identity;
    if (count >= 2 ** 31 || count2 >= 2 ** 31) throw new Unsupported(\`\${count} iterations\`);
    const nred = spec.reductions.length;
    const { groups, total } = dispatchOf(spec.layout, nred > 0, rows, count2);
    const header = [int32(start, 'loop start'), int32(step, 'loop step'), count, total];
    header.push(...(inner ? [int32(inner[0], 'inner loop start'), int32(inner[2], 'inner loop step'), count2, 0] : [0, 1, 1, 0]));
    const count3 = kloop ? trips(kloop[0], kloop[1], kloop[2]) : 0;
    if (count3 >= 2 ** 31) throw new Unsupported(\`\${count3} iterations\`);
    header.push(...(kloop ? [int32(kloop[0], 'k loop start'), int32(kloop[2], 'k loop step'), count3, 0] : [0, 1, 0, 0]));
    const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: this.uniform(spec, header, scalars) } }];
    spec.arrays.forEach((a, k) => {
      entries.push({ binding: k + 1, resource: { buffer: this.buffer(a.name) } });
      if (a.write) this.written.add(a.name);
    });
    let partials: GPUBuffer | undefined;
    if (nred) {
      partials = this.dev.createBuffer({ size: groups * nred * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
      entries.push({ binding: spec.arrays.length + 1, resource: { buffer: partials } });
    }
    this.flag ??= this.dev.createBuffer({ size: 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    entries.push({ binding: spec.arrays.length + 1 + (nred ? 1 : 0), resource: { buffer: this.flag } });
    const p = pipeline(this.dev, spec.wgsl);
    const enc = this.dev.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(p);
    pass.setBindGroup(0, this.dev.createBindGroup({ layout: p.getBindGroupLayout(0), entries }));
    pass.dispatchWorkgroups(...grid(groups));
    pass.end();
    this.dev.queue.submit([enc.finish()]);
    if (!partials) return [];
    const parts = await readBuffer(this.dev, partials, groups * nred * 4);
    partials.destroy();
    return spec.reductions.map((r, k) => {
      let acc = identity[k]!;
      for (let g = 0; g < groups; g++) {
        const v = parts[g * nred + k]!;
        acc = r.op === 'sum' ? acc + v : r.op === 'prod' ? acc * v : r.op === 'min' ? Math.min(acc, v) : Math.max(acc, v);
      }
      return acc;
    });
  }

  /**
   * Checks that no invocation was cut short by a loop limiter (else reports the fallback and throws
   * Unsupported: nothing was written to the caller's arrays yet), then reads the arrays the loops
   * wrote back into the caller's arrays.
   */
  async finish(): Promise<void> {
    if (this.flag && new Uint32Array((await readBuffer(this.dev, this.flag, 4)).buffer)[0] !== 0) {
      const why = \`the adapter (\${adapterName}) ended a shader invocation at its loop limit\${isLlvmpipe() ? \` (llvmpipe: \${LLVMPIPE_LOOP_LIMIT} loop iterations per invocation)\` : ''}, so its results are incomplete\`;
      fallback('the GPU kernels', 'WebGPU', why);
      throw new Unsupported(why);
    }
    for (const name of this.written) {
      const a = this.arrays[name] as Float64Array | Float32Array | number[];
      if (a.length === 0) continue;
      const data = await readBuffer(this.dev, this.buffers.get(name)!, a.length * 4);
      for (let i = 0; i < a.length; i++) a[i] = data[i]!;
    }
  }

  dispose(): void {
    for (const b of this.buffers.values()) b.destroy();
    for (const b of this.transient) b.destroy();
    this.flag?.destroy();
    this.flag = undefined;
    this.buffers.clear();
    this.transient.length = 0;
  }
}
`;
