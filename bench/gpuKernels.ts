// WebGPU compute kernels shaped for a GPU (f32, WGSL), with data resident on the device: used by
// `npm run bench:gpu` (bench/gpu.ts) and fuzzed against f64 JS by test/unit/benchGpu.test.ts.
//  - saxpy z = a·x + y, and the reductions' first pass: grid-stride loops, 64-wide workgroups;
//  - sum, dot: a tree in workgroup memory per workgroup, then ONE workgroup reduces the partials on
//    the device (two dispatches, one 4-byte read);
//  - gemv: one workgroup per row (coalesced reads along the row, tree in workgroup memory);
//  - gemm: 32×32 output tiles per workgroup, A and B staged through workgroup memory 16 columns at
//    a time, each of the 8×8 invocations holding a 4×4 register block (16 accumulators). The
//    `gemmRowwise` variant is the shape the GPU scaffold emits today (one invocation per output
//    row, no workgroup memory), kept to measure the difference;
//  - nbody: accelerations of n bodies, positions staged through workgroup memory 64 at a time.
// 64 invocations per workgroup: portable to WebGPU compatibility mode (≤ 128) and to every GPU.
import { create, globals } from 'webgpu';

export interface Gpu {
  device: GPUDevice;
  /** What the adapter says it is (Dawn: device name, driver description). */
  adapter: string;
  /** `webgpu/<Dawn backend>`: default (Vulkan/Metal/D3D12) or the forced/fallback one. */
  backend: string;
  featureLevel: 'core' | 'compatibility';
}

/** Dawn instances must outlive their devices (dropping one to the GC ends the process). */
const instances: GPU[] = [];

/**
 * A WebGPU device: the default backends first (a real GPU), then OpenGL ES (Mesa llvmpipe where
 * there is no GPU) in compatibility mode. HOTLOOP_WEBGPU_BACKEND forces one Dawn backend. Returns
 * the reason when there is none.
 */
export async function openGpu(env: NodeJS.ProcessEnv = process.env): Promise<Gpu | { error: string }> {
  if (process.platform === 'linux') process.env.EGL_PLATFORM ??= 'surfaceless';
  Object.assign(globalThis, globals);
  const forced = env.HOTLOOP_WEBGPU_BACKEND;
  const tries = forced ? [forced] : ['default', 'opengles'];
  const errors: string[] = [];
  for (const backend of tries) {
    try {
      const gpu = create(backend === 'default' ? [] : [`backend=${backend}`]);
      instances.push(gpu);
      let featureLevel: Gpu['featureLevel'] = 'core';
      let adapter = await gpu.requestAdapter();
      if (!adapter) {
        featureLevel = 'compatibility';
        adapter = await gpu.requestAdapter({ featureLevel: 'compatibility' });
      }
      if (!adapter) {
        errors.push(`${backend}: no adapter`);
        continue;
      }
      const i = adapter.info;
      const name = [i.vendor, i.architecture, i.device, i.description].filter(Boolean).join(' / ');
      const l = adapter.limits;
      const device = await adapter.requestDevice({
        requiredLimits: {
          maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
          maxBufferSize: l.maxBufferSize,
        },
      });
      return { device, adapter: name || 'unnamed adapter', backend: `webgpu/${backend}`, featureLevel };
    } catch (e) {
      errors.push(`${backend}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return { error: errors.join('; ') || 'no backend' };
}

/** A kernel whose inputs are on the device: dispatch it any number of times, read its result. */
export interface Resident {
  /** Encodes and submits the kernel's dispatches (no host ↔ device copy). */
  submit(): void;
  /** Copies the result to the host (waits for the queue). */
  read(): Promise<Float32Array>;
  destroy(): void;
}

const WG = 64;
const MAX_GROUPS = 1024; // grid-stride loops: at most this many workgroups
const pipelines = new WeakMap<GPUDevice, Map<string, GPUComputePipeline>>();

function pipeline(dev: GPUDevice, wgsl: string): GPUComputePipeline {
  let cache = pipelines.get(dev);
  if (!cache) pipelines.set(dev, (cache = new Map<string, GPUComputePipeline>()));
  let p = cache.get(wgsl);
  if (!p) {
    p = dev.createComputePipeline({
      layout: 'auto',
      compute: { module: dev.createShaderModule({ code: wgsl }), entryPoint: 'main' },
    });
    cache.set(wgsl, p);
  }
  return p;
}

const STORAGE = (): number => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

/** A storage buffer holding `data` (or `bytes` zeroed bytes); the upload is queued, not awaited. */
function buffer(dev: GPUDevice, data: Float32Array | number): GPUBuffer {
  const bytes = typeof data === 'number' ? data : data.byteLength;
  const b = dev.createBuffer({ size: Math.max(16, Math.ceil(bytes / 4) * 4), usage: STORAGE() });
  if (typeof data !== 'number' && data.byteLength) dev.queue.writeBuffer(b, 0, data);
  return b;
}

function uniform(dev: GPUDevice, words: number[], floats: ReadonlySet<number> = new Set()): GPUBuffer {
  const raw = new ArrayBuffer(Math.ceil((words.length * 4) / 16) * 16);
  const u = new Uint32Array(raw);
  const f = new Float32Array(raw);
  words.forEach((w, i) => {
    if (floats.has(i)) f[i] = w;
    else u[i] = w;
  });
  const b = dev.createBuffer({
    size: raw.byteLength,
    usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
  });
  dev.queue.writeBuffer(b, 0, raw);
  return b;
}

/** Splits a workgroup count over x and y (each ≤ 65,535); shaders linearise with num_workgroups. */
function grid(groups: number): [number, number] {
  if (groups > 65535 * 65535) throw new RangeError(`${groups} workgroups`);
  return groups <= 65535 ? [Math.max(groups, 1), 1] : [65535, Math.ceil(groups / 65535)];
}

interface Dispatch {
  wgsl: string;
  buffers: GPUBuffer[];
  groups: [number, number];
}

async function readBuffer(dev: GPUDevice, src: GPUBuffer, bytes: number): Promise<Float32Array> {
  const size = Math.max(16, Math.ceil(bytes / 4) * 4);
  const staging = dev.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const enc = dev.createCommandEncoder();
  enc.copyBufferToBuffer(src, 0, staging, 0, size);
  dev.queue.submit([enc.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const out = new Float32Array(staging.getMappedRange().slice(0, bytes));
  staging.unmap();
  staging.destroy();
  return out;
}

/** A Resident running `dispatches` in order (one compute pass) and reading `out`'s first `len` floats. */
function resident(dev: GPUDevice, dispatches: Dispatch[], out: GPUBuffer, len: number): Resident {
  const owned = new Set(dispatches.flatMap((d) => d.buffers));
  const plans = dispatches.map((d) => {
    const p = pipeline(dev, d.wgsl);
    const bind = dev.createBindGroup({
      layout: p.getBindGroupLayout(0),
      entries: d.buffers.map((b, i) => ({ binding: i, resource: { buffer: b } })),
    });
    return { p, bind, groups: d.groups };
  });
  return {
    submit() {
      const enc = dev.createCommandEncoder();
      const pass = enc.beginComputePass();
      for (const { p, bind, groups } of plans) {
        pass.setPipeline(p);
        pass.setBindGroup(0, bind);
        pass.dispatchWorkgroups(groups[0], groups[1]);
      }
      pass.end();
      dev.queue.submit([enc.finish()]);
    },
    read: () => readBuffer(dev, out, len * 4),
    destroy() {
      for (const b of owned) b.destroy();
    },
  };
}

const LINEAR = `let gid = (wid.y * nwg.x + wid.x) * ${WG}u + l;`;
const IDS = `@builtin(local_invocation_index) l: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>`;

const SAXPY = /* wgsl */ `
struct P { n: u32, stride: u32, a: f32, pad: u32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> z: array<f32>;
@compute @workgroup_size(${WG})
fn main(${IDS}) {
  ${LINEAR}
  for (var i = gid; i < p.n; i += p.stride) { z[i] = fma(p.a, x[i], y[i]); }
}`;

/** The reductions' pass: grid-stride partial per invocation, tree in workgroup memory, one value per workgroup. */
const reduceShader = (twoInputs: boolean): string => /* wgsl */ `
struct P { n: u32, stride: u32, pad0: u32, pad1: u32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read> x: array<f32>;
${twoInputs ? '@group(0) @binding(2) var<storage, read> y: array<f32>;' : ''}
@group(0) @binding(${twoInputs ? 3 : 2}) var<storage, read_write> partial: array<f32>;
var<workgroup> s: array<f32, ${WG}>;
@compute @workgroup_size(${WG})
fn main(${IDS}) {
  ${LINEAR}
  var acc = 0.0;
  for (var i = gid; i < p.n; i += p.stride) { acc = ${twoInputs ? 'fma(x[i], y[i], acc)' : 'acc + x[i]'}; }
  s[l] = acc;
  workgroupBarrier();
  for (var k = ${WG / 2}u; k > 0u; k = k >> 1u) {
    if (l < k) { s[l] = s[l] + s[l + k]; }
    workgroupBarrier();
  }
  if (l == 0u) { partial[wid.y * nwg.x + wid.x] = s[0]; }
}`;
const SUM = reduceShader(false);
const DOT = reduceShader(true);

export function saxpy(g: Gpu, a: number, x: Float32Array, y: Float32Array): Resident {
  const dev = g.device;
  const groups = Math.min(MAX_GROUPS, Math.ceil(x.length / WG));
  const z = buffer(dev, x.byteLength);
  const u = uniform(dev, [x.length, Math.max(groups, 1) * WG, a, 0], new Set([2]));
  const d = { wgsl: SAXPY, buffers: [u, buffer(dev, x), buffer(dev, y), z], groups: grid(groups) };
  return resident(dev, [d], z, x.length);
}

/** Σx (or Σxᵢyᵢ): per-workgroup partials, then one workgroup reduces them on the device. */
export function reduce(g: Gpu, x: Float32Array, y?: Float32Array): Resident {
  const dev = g.device;
  const groups = Math.max(1, Math.min(MAX_GROUPS, Math.ceil(x.length / WG)));
  const partial = buffer(dev, groups * 4);
  const out = buffer(dev, 4);
  const first: Dispatch = {
    wgsl: y ? DOT : SUM,
    buffers: [
      uniform(dev, [x.length, groups * WG, 0, 0]),
      buffer(dev, x),
      ...(y ? [buffer(dev, y)] : []),
      partial,
    ],
    groups: grid(groups),
  };
  const second: Dispatch = {
    wgsl: SUM,
    buffers: [uniform(dev, [groups, WG, 0, 0]), partial, out],
    groups: [1, 1],
  };
  return resident(dev, [first, second], out, 1);
}

const GEMV = /* wgsl */ `
struct P { m: u32, n: u32, pad0: u32, pad1: u32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
var<workgroup> s: array<f32, ${WG}>;
@compute @workgroup_size(${WG})
fn main(${IDS}) {
  let row = wid.y * nwg.x + wid.x;
  var acc = 0.0;
  if (row < p.m) {
    for (var j = l; j < p.n; j += ${WG}u) { acc = fma(A[row * p.n + j], x[j], acc); }
  }
  s[l] = acc;
  workgroupBarrier();
  for (var k = ${WG / 2}u; k > 0u; k = k >> 1u) {
    if (l < k) { s[l] = s[l] + s[l + k]; }
    workgroupBarrier();
  }
  if (l == 0u && row < p.m) { y[row] = s[0]; }
}`;

/** y = A·x, A m×n row-major: one workgroup per row. */
export function gemv(g: Gpu, m: number, n: number, A: Float32Array, x: Float32Array): Resident {
  const dev = g.device;
  const y = buffer(dev, m * 4);
  const d = {
    wgsl: GEMV,
    buffers: [uniform(dev, [m, n, 0, 0]), buffer(dev, A), buffer(dev, x), y],
    groups: grid(m),
  };
  return resident(dev, [d], y, m);
}

const GEMM_HEAD = /* wgsl */ `
struct P { m: u32, n: u32, k: u32, pad: u32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read> B: array<f32>;
@group(0) @binding(3) var<storage, read_write> C: array<f32>;`;

/** 32×32 tile per 8×8 workgroup, 4×4 per invocation, k in steps of 16 through workgroup memory. */
const GEMM_TILED = /* wgsl */ `${GEMM_HEAD}
const TM = 32u;
const TN = 32u;
const TK = 16u;
var<workgroup> As: array<f32, 512>; // TM × TK, [r][kk]
var<workgroup> Bs: array<f32, 512>; // TK × TN, [kk][c]
@compute @workgroup_size(8, 8)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let row0 = wid.y * TM;
  let col0 = wid.x * TN;
  let t = lid.y * 8u + lid.x;
  var acc: array<f32, 16>;
  for (var k0 = 0u; k0 < p.k; k0 += TK) {
    for (var e = t; e < TM * TK; e += 64u) {
      let r = row0 + e / TK;
      let kk = k0 + e % TK;
      var v = 0.0;
      if (r < p.m && kk < p.k) { v = A[r * p.k + kk]; }
      As[e] = v;
      let kb = k0 + e / TN;
      let c = col0 + e % TN;
      var w = 0.0;
      if (kb < p.k && c < p.n) { w = B[kb * p.n + c]; }
      Bs[e] = w;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TK; kk++) {
      var a: array<f32, 4>;
      var b: array<f32, 4>;
      for (var i = 0u; i < 4u; i++) { a[i] = As[(lid.y * 4u + i) * TK + kk]; }
      for (var j = 0u; j < 4u; j++) { b[j] = Bs[kk * TN + lid.x * 4u + j]; }
      for (var i = 0u; i < 4u; i++) {
        for (var j = 0u; j < 4u; j++) { acc[i * 4u + j] = fma(a[i], b[j], acc[i * 4u + j]); }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    let r = row0 + lid.y * 4u + i;
    for (var j = 0u; j < 4u; j++) {
      let c = col0 + lid.x * 4u + j;
      if (r < p.m && c < p.n) { C[r * p.n + c] = acc[i * 4u + j]; }
    }
  }
}`;

/** The GPU scaffold's shape today: one invocation per row of C, no workgroup memory. */
const GEMM_ROWWISE = /* wgsl */ `${GEMM_HEAD}
@compute @workgroup_size(${WG})
fn main(${IDS}) {
  ${LINEAR}
  if (gid >= p.m) { return; }
  for (var j = 0u; j < p.n; j++) {
    var acc = 0.0;
    for (var q = 0u; q < p.k; q++) { acc = fma(A[gid * p.k + q], B[q * p.n + j], acc); }
    C[gid * p.n + j] = acc;
  }
}`;

/** C = A·B (A m×k, B k×n, row-major). */
export function gemm(
  g: Gpu,
  m: number,
  n: number,
  k: number,
  A: Float32Array,
  B: Float32Array,
  variant: 'tiled' | 'rowwise' = 'tiled',
): Resident {
  const dev = g.device;
  const C = buffer(dev, m * n * 4);
  const tiled = variant === 'tiled';
  const groups: [number, number] = tiled
    ? [Math.max(1, Math.ceil(n / 32)), Math.max(1, Math.ceil(m / 32))]
    : grid(Math.ceil(m / WG));
  if (groups[0] > 65535 || groups[1] > 65535) throw new RangeError(`gemm ${m}×${n}: too many tiles`);
  const d = {
    wgsl: tiled ? GEMM_TILED : GEMM_ROWWISE,
    buffers: [uniform(dev, [m, n, k, 0]), buffer(dev, A), buffer(dev, B), C],
    groups,
  };
  return resident(dev, [d], C, m * n);
}

const NBODY = /* wgsl */ `
struct P { n: u32, eps2: f32, pad0: u32, pad1: u32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read> pos: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> acc: array<vec4<f32>>;
var<workgroup> tile: array<vec4<f32>, ${WG}>;
@compute @workgroup_size(${WG})
fn main(${IDS}) {
  ${LINEAR}
  var pi = vec4<f32>(0.0);
  if (gid < p.n) { pi = pos[gid]; }
  var a = vec3<f32>(0.0);
  for (var t0 = 0u; t0 < p.n; t0 += ${WG}u) {
    var pj = vec4<f32>(0.0);
    if (t0 + l < p.n) { pj = pos[t0 + l]; }
    tile[l] = pj;
    workgroupBarrier();
    let cnt = min(${WG}u, p.n - t0);
    for (var q = 0u; q < cnt; q++) {
      let b = tile[q];
      let d = b.xyz - pi.xyz;
      let inv = inverseSqrt(dot(d, d) + p.eps2);
      a += d * (b.w * inv * inv * inv);
    }
    workgroupBarrier();
  }
  if (gid < p.n) { acc[gid] = vec4<f32>(a, 0.0); }
}`;

/** Accelerations of n bodies (pos: x, y, z, mass per body), softening eps² (G = 1). */
export function nbody(g: Gpu, pos: Float32Array, eps2: number): Resident {
  const dev = g.device;
  const n = pos.length / 4;
  const out = buffer(dev, n * 16);
  const d = {
    wgsl: NBODY,
    buffers: [uniform(dev, [n, eps2, 0, 0], new Set([1])), buffer(dev, pos), out],
    groups: grid(Math.ceil(n / WG)),
  };
  return resident(dev, [d], out, n * 4);
}
