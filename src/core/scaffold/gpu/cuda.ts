// CUDA flavour of the GPU target, emitted beside the WebGPU one when nvcc is present: one
// `__global__` kernel per top-level parallel loop (grid-stride, f64 — CUDA has doubles, so no f32
// loss), reductions as shared-memory trees with per-block partials combined on the host in order,
// host control flow in C++, and node-addon-api glue. Linked with the static CUDA runtime, so the
// addon loads on machines without CUDA and reports why it cannot run (`deviceCount()`).
import type { Kernel, Param, Stmt } from '../../ir/types.js';
import type { ForStmt } from '../../ir/stmtEmitter.js';
import type { GeneratedFile } from '../types.js';
import { Lines } from '../common/tsEmit.js';
import { CPP_PRELUDE } from '../native/prelude.js';
import { CppEmitter, cppDouble, cppName } from '../native/cppEmit.js';
import { gpuShaders } from './shaders.js';
import { CUDA_HOME_CJS, cudaAddonSource, cudaBindingGyp } from './cudaAddon.js';

const BLOCK = 256;

/** The device-compatible part of the C++ prelude (JS number semantics), every function `__host__ __device__`. */
export function cudaPrelude(): string {
  // After the host-only path counter (#ifdef HOTLOOP_COUNT_PATHS … #endif) that opens the prelude.
  const start = CPP_PRELUDE.indexOf('namespace hotloop {', CPP_PRELUDE.indexOf('#endif'));
  const end = CPP_PRELUDE.indexOf('/** Throws a TypeError');
  const body = CPP_PRELUDE.slice(start, end).replace(/\binline\b/g, '__host__ __device__ inline');
  return [
    '#include <cmath>',
    '#include <cstddef>',
    '#include <cstdint>',
    '#include <cstdio>',
    '#include <limits>',
    '#include <vector>',
    '',
    body.trimEnd(),
    '',
    '}  // namespace hotloop',
    '',
  ].join('\n');
}

const IDENTITY: Readonly<Record<string, string>> = {
  sum: '0.0',
  prod: '1.0',
  min: 'HUGE_VAL',
  max: '(-HUGE_VAL)',
};
const COMBINE: Readonly<Record<string, (a: string, b: string) => string>> = {
  sum: (a, b) => `${a} + ${b}`,
  prod: (a, b) => `${a} * ${b}`,
  min: (a, b) => `hotloop::jsMin(${a}, ${b})`,
  max: (a, b) => `hotloop::jsMax(${a}, ${b})`,
};

/** `k` as the device sees it: every array (params and const tables) a read-write f64 view, then `scalars`. */
function asDoubles(k: Kernel, arrays: readonly string[], scalars: readonly Param[]): Kernel {
  const views = arrays.map((name): Param => ({
    kind: 'array',
    name,
    dtype: 'f64',
    container: 'typed',
    access: 'readwrite',
  }));
  return { ...k, params: [...views, ...scalars], consts: [] };
}

/** The host entry's statements in C++; each parallel loop becomes a launch of its device kernel. */
class CudaHostEmitter extends CppEmitter {
  private next = 0;
  constructor(
    k: Kernel,
    private readonly loops: readonly { readonly loop: ForStmt; readonly scalars: readonly string[] }[],
    private readonly views: readonly string[],
  ) {
    super(k, '');
  }

  /** Copies the bounds to the device kernel, launches it and combines the blocks' partials in order. */
  protected override forStmt(o: Lines, st: ForStmt): void {
    const my = this.next++;
    const { loop, scalars } = this.loops[my]!;
    if (loop !== st) throw new Error('cuda emitter: loop order');
    const reds = st.parallel?.reductions ?? [];
    o.line('{').indent();
    o.line(`const int64_t hl_start = static_cast<int64_t>(${this.num(st.start)});`);
    o.line(`const double hl_end = ${this.num(st.end)};`);
    o.line(
      `const int64_t hl_count = hl_end > hl_start ? static_cast<int64_t>(std::ceil((hl_end - hl_start) / ${cppDouble(st.step)})) : 0;`,
    );
    o.line(
      `const int hl_blocks = static_cast<int>(hl_count > 0 ? (hl_count + ${BLOCK - 1}) / ${BLOCK} < 1024 ? (hl_count + ${BLOCK - 1}) / ${BLOCK} : 1024 : 1);`,
    );
    o.line('double* hl_partials = nullptr;');
    if (reds.length) {
      o.line(
        `HL_CHECK(cudaMalloc(reinterpret_cast<void**>(&hl_partials), hl_blocks * ${reds.length} * sizeof(double)));`,
      );
      o.line('hl_alloc.push_back(hl_partials);');
    }
    const args = [
      ...this.views.map(cppName),
      ...scalars.map(cppName),
      'hl_start',
      `static_cast<int64_t>(${st.step})`,
      'hl_count',
      'hl_partials',
    ];
    o.line('if (hl_count > 0) {').indent();
    o.line(`hl_loop${my}<<<hl_blocks, ${BLOCK}>>>(${args.join(', ')});`);
    o.line('HL_CHECK(cudaGetLastError());');
    if (reds.length) {
      o.line(`std::vector<double> hl_p(hl_blocks * ${reds.length});`);
      o.line(
        'HL_CHECK(cudaMemcpy(hl_p.data(), hl_partials, hl_p.size() * sizeof(double), cudaMemcpyDeviceToHost));',
      );
      reds.forEach((r, j) => {
        o.line(
          `for (int hl_b = 0; hl_b < hl_blocks; hl_b++) ${cppName(r.name)} = ${COMBINE[r.op]!(cppName(r.name), `hl_p[hl_b * ${reds.length} + ${j}]`)};`,
        );
      });
    }
    o.dedent().line('}');
    o.dedent().line('}');
  }
}

/** The `.cu` source: device kernels and the extern "C" host entry `hotloop_cuda_<name>`. */
export function cudaSource(k: Kernel, name: string): string {
  gpuShaders(k); // the same plan as WebGPU: throws Declined for what the GPU target cannot take
  const arrays = [
    ...k.params.filter((p) => p.kind === 'array').map((p) => p.name),
    ...k.consts.map((c) => c.name),
  ];
  const out = new Lines();
  out.line(cudaPrelude().trimEnd()).line();
  out.line('#include <cuda_runtime.h>').line();
  // Scalars visible at each loop: params plus the host lets declared before it (passed by value).
  const hostLets: string[] = [];
  const loops: { loop: ForStmt; scalars: string[] }[] = [];
  const collect = (list: readonly Stmt[]): void => {
    for (const st of list) {
      if (st.kind === 'let') hostLets.push(st.name);
      if (st.kind === 'for') {
        const reds = new Set(st.parallel?.reductions.map((r) => r.name) ?? []);
        const scalars = [
          ...k.params.filter((p) => p.kind === 'scalar').map((p) => p.name),
          ...hostLets,
        ].filter((n) => !reds.has(n));
        loops.push({ loop: st, scalars });
      }
      if (st.kind === 'if') {
        collect(st.then);
        collect(st.else);
      }
    }
  };
  collect(k.body);
  loops.forEach(({ loop, scalars }, li) => {
    const reds = loop.parallel?.reductions ?? [];
    const params = [
      ...arrays.map((a) => `hotloop::View<double> ${cppName(a)}`),
      ...scalars.map((s) => `double ${cppName(s)}`),
      'int64_t hl_start',
      'int64_t hl_step',
      'int64_t hl_count',
      'double* hl_partials',
    ];
    // Device code sees every array as doubles (converted by the addon) and the loop's scalars by value.
    const em = new CppEmitter(
      asDoubles(
        k,
        arrays,
        scalars.map((s) => ({ kind: 'scalar' as const, name: s, dtype: 'f64' as const })),
      ),
      '',
    );
    out.line(`__global__ void hl_loop${li}(${params.join(', ')}) {`).indent();
    for (const r of reds) out.line(`double ${cppName(r.name)} = ${IDENTITY[r.op]!};`);
    out
      .line(
        'for (int64_t hl_t = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; hl_t < hl_count; hl_t += (int64_t)gridDim.x * blockDim.x) {',
      )
      .indent();
    out.line(`int64_t ${cppName(loop.index)} = hl_start + hl_t * hl_step;`);
    em.declare(loop.index, 'i64');
    for (const r of reds) em.declare(r.name, 'f64');
    em.stmts(out, loop.body);
    out.dedent().line('}');
    if (reds.length) {
      reds.forEach((r) => {
        out.line(`__shared__ double hl_w_${r.name}[${BLOCK}];`);
        out.line(`hl_w_${r.name}[threadIdx.x] = ${cppName(r.name)};`);
      });
      out.line('__syncthreads();');
      out.line('for (unsigned hl_off = blockDim.x / 2; hl_off > 0; hl_off >>= 1) {').indent();
      out.line('if (threadIdx.x < hl_off) {').indent();
      for (const r of reds)
        out.line(
          `hl_w_${r.name}[threadIdx.x] = ${COMBINE[r.op]!(`hl_w_${r.name}[threadIdx.x]`, `hl_w_${r.name}[threadIdx.x + hl_off]`)};`,
        );
      out.dedent().line('}');
      out.line('__syncthreads();');
      out.dedent().line('}');
      out.line('if (threadIdx.x == 0) {').indent();
      reds.forEach((r, j) =>
        out.line(`hl_partials[blockIdx.x * ${reds.length} + ${j}] = hl_w_${r.name}[0];`),
      );
      out.dedent().line('}');
    }
    out.dedent().line('}').line();
  });
  // The host entry: copy in, run the host statements with launches, copy written arrays back.
  out
    .line(
      `extern "C" int hotloop_cuda_${cppName(name)}(double* const* hl_host, const size_t* hl_len, const double* hl_scalars, double* hl_result, char* hl_err, size_t hl_err_len) {`,
    )
    .indent();
  out.line('std::vector<void*> hl_alloc;');
  out.line('auto hl_free = [&]() { for (void* p : hl_alloc) cudaFree(p); };');
  out.line(
    '#define HL_CHECK(x) do { cudaError_t hl_e = (x); if (hl_e != cudaSuccess) { snprintf(hl_err, hl_err_len, "%s: %s", #x, cudaGetErrorString(hl_e)); hl_free(); return static_cast<int>(hl_e); } } while (0)',
  );
  arrays.forEach((a, i) => {
    const v = cppName(a);
    out.line(`hotloop::View<double> ${v}{nullptr, hl_len[${i}]};`);
    out.line(
      `HL_CHECK(cudaMalloc(reinterpret_cast<void**>(&${v}.data), (hl_len[${i}] ? hl_len[${i}] : 1) * sizeof(double)));`,
    );
    out.line(`hl_alloc.push_back(${v}.data);`);
    out.line(
      `if (hl_len[${i}]) HL_CHECK(cudaMemcpy(${v}.data, hl_host[${i}], hl_len[${i}] * sizeof(double), cudaMemcpyHostToDevice));`,
    );
  });
  const scalarParams = k.params.filter((p) => p.kind === 'scalar');
  scalarParams.forEach((p, i) => out.line(`double ${cppName(p.name)} = hl_scalars[${i}];`));
  const host = new CudaHostEmitter(asDoubles(k, arrays, scalarParams), loops, arrays);
  host.topLevel(out, k.body);
  out.line('HL_CHECK(cudaDeviceSynchronize());');
  arrays.forEach((a, i) => {
    const p = k.params.find((q) => q.name === a);
    if (p?.kind === 'array' && p.access !== 'read') {
      out.line(
        `if (hl_len[${i}]) HL_CHECK(cudaMemcpy(hl_host[${i}], ${cppName(a)}.data, hl_len[${i}] * sizeof(double), cudaMemcpyDeviceToHost));`,
      );
    }
  });
  const r = host.result();
  out.line(`*hl_result = ${r ? (r.ty === 'f64' ? r.text : `static_cast<double>(${r.text})`) : '0.0'};`);
  out.line('hl_free();');
  out.line('#undef HL_CHECK');
  out.line('return 0;');
  out.dedent().line('}');
  out.line();
  out.line('extern "C" int hotloop_cuda_device_count(int* count, char* err, size_t err_len) {').indent();
  out.line('cudaError_t e = cudaGetDeviceCount(count);');
  out.line('if (e != cudaSuccess) { *count = 0; snprintf(err, err_len, "%s", cudaGetErrorString(e)); }');
  out.line('return static_cast<int>(e);');
  out.dedent().line('}');
  return out.text();
}

/** The CUDA files of a GPU scaffold (under `cuda/`), or a reason they were not emitted. */
export function cudaFiles(k: Kernel, name: string): { files: GeneratedFile[] } | { reason: string } {
  try {
    return {
      files: [
        { path: 'cuda/src/kernel.cu', role: 'kernel', contents: cudaSource(k, name) },
        { path: 'cuda/src/addon.cc', role: 'kernel', contents: cudaAddonSource(k, name) },
        { path: 'cuda/binding.gyp', role: 'build', contents: cudaBindingGyp() },
        { path: 'cuda/cuda-home.cjs', role: 'build', contents: CUDA_HOME_CJS },
      ],
    };
  } catch (err) {
    return { reason: err instanceof Error ? err.message : String(err) };
  }
}
