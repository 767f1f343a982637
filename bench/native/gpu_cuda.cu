// The CUDA side of `npm run bench:gpu` (f64 on the device). Built by bench/gpuCuda.ts with nvcc and the
// static CUDA runtime (runs on any machine with a driver; no libcudart needed):
//   nvcc -O3 -std=c++17 -cudart static -gencode arch=compute_80,code=sm_80
//        -gencode arch=compute_90,code=[sm_90,compute_90] gpu_cuda.cu -o gpu_cuda -ldl
// Usage: gpu_cuda VEC GEMM BODIES → one JSON line: the device, its copy bandwidth, and per kernel
// resident compute ms (cudaEvent, median), transfer ms (H2D + D2H), max relative error against an f64
// CPU reference on sampled outputs. gemm is also compared with cuBLAS's dgemm where libcublas can be
// dlopen'ed on that machine (nothing is linked against it). Exit 3 when there is no device.
#include <cuda_runtime.h>
#include <dlfcn.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#define CK(x)                                                                                  \
  do {                                                                                         \
    cudaError_t e_ = (x);                                                                      \
    if (e_ != cudaSuccess) {                                                                   \
      std::printf("{\"error\":\"%s: %s\"}\n", #x, cudaGetErrorString(e_));                     \
      std::exit(2);                                                                            \
    }                                                                                          \
  } while (0)

constexpr int TPB = 256;

__global__ void daxpy(size_t n, double a, const double* x, const double* y, double* z) {
  for (size_t i = blockIdx.x * size_t(TPB) + threadIdx.x; i < n; i += size_t(gridDim.x) * TPB) z[i] = fma(a, x[i], y[i]);
}

/** Grid-stride partial per thread, tree in shared memory, one value per block (y null: Σx). */
__global__ void reduceBlocks(size_t n, const double* x, const double* y, double* partial) {
  __shared__ double s[TPB];
  double acc = 0;
  for (size_t i = blockIdx.x * size_t(TPB) + threadIdx.x; i < n; i += size_t(gridDim.x) * TPB)
    acc = y ? fma(x[i], y[i], acc) : acc + x[i];
  s[threadIdx.x] = acc;
  __syncthreads();
  for (int k = TPB / 2; k > 0; k >>= 1) {
    if (threadIdx.x < k) s[threadIdx.x] += s[threadIdx.x + k];
    __syncthreads();
  }
  if (threadIdx.x == 0) partial[blockIdx.x] = s[0];
}

/** 64×64 tile per 16×16 block, 4×4 per thread, k in steps of 16 through shared memory. Row-major. */
__global__ void dgemmTiled(int m, int n, int k, const double* A, const double* B, double* C) {
  constexpr int T = 64, TK = 16;
  __shared__ double As[TK][T + 1];
  __shared__ double Bs[TK][T];
  const int tx = threadIdx.x, ty = threadIdx.y, t = ty * 16 + tx;
  const int row0 = blockIdx.y * T, col0 = blockIdx.x * T;
  double acc[4][4] = {};
  for (int k0 = 0; k0 < k; k0 += TK) {
    for (int e = t; e < T * TK; e += 256) {
      const int r = e / TK, kk = e % TK;  // A tile, transposed into As[kk][r]
      As[kk][r] = (row0 + r < m && k0 + kk < k) ? A[size_t(row0 + r) * k + k0 + kk] : 0.0;
      const int kb = e / T, c = e % T;
      Bs[kb][c] = (k0 + kb < k && col0 + c < n) ? B[size_t(k0 + kb) * n + col0 + c] : 0.0;
    }
    __syncthreads();
#pragma unroll
    for (int kk = 0; kk < TK; ++kk) {
      double a[4], b[4];
#pragma unroll
      for (int i = 0; i < 4; ++i) a[i] = As[kk][ty + 16 * i];
#pragma unroll
      for (int j = 0; j < 4; ++j) b[j] = Bs[kk][tx + 16 * j];
#pragma unroll
      for (int i = 0; i < 4; ++i)
#pragma unroll
        for (int j = 0; j < 4; ++j) acc[i][j] = fma(a[i], b[j], acc[i][j]);
    }
    __syncthreads();
  }
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) {
      const int r = row0 + ty + 16 * i, c = col0 + tx + 16 * j;
      if (r < m && c < n) C[size_t(r) * n + c] = acc[i][j];
    }
}

__global__ void nbodyAcc(int n, double eps2, const double4_32a* pos, double4_32a* acc) {
  __shared__ double4_32a tile[TPB];
  const int i = blockIdx.x * TPB + threadIdx.x;
  const double4_32a pi = i < n ? pos[i] : make_double4_32a(0, 0, 0, 0);
  double ax = 0, ay = 0, az = 0;
  for (int t0 = 0; t0 < n; t0 += TPB) {
    tile[threadIdx.x] = t0 + threadIdx.x < n ? pos[t0 + threadIdx.x] : make_double4_32a(0, 0, 0, 0);
    __syncthreads();
    const int cnt = min(TPB, n - t0);
    for (int q = 0; q < cnt; ++q) {
      const double4_32a b = tile[q];
      const double dx = b.x - pi.x, dy = b.y - pi.y, dz = b.z - pi.z;
      const double inv = rsqrt(dx * dx + dy * dy + dz * dz + eps2);
      const double f = b.w * inv * inv * inv;
      ax = fma(dx, f, ax);
      ay = fma(dy, f, ay);
      az = fma(dz, f, az);
    }
    __syncthreads();
  }
  if (i < n) acc[i] = make_double4_32a(ax, ay, az, 0);
}

namespace {

struct Timer {
  cudaEvent_t a, b;
  Timer() {
    CK(cudaEventCreate(&a));
    CK(cudaEventCreate(&b));
  }
  template <class F>
  double median(F f, int reps = 7) {
    f();  // warm-up
    std::vector<double> t;
    for (int r = 0; r < reps; ++r) {
      CK(cudaEventRecord(a));
      f();
      CK(cudaEventRecord(b));
      CK(cudaEventSynchronize(b));
      float ms = 0;
      CK(cudaEventElapsedTime(&ms, a, b));
      t.push_back(ms);
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
  }
};

double wall() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

std::vector<double> values(size_t n, unsigned seed, double lo, double hi) {
  std::vector<double> v(n);
  unsigned s = seed * 2654435761u + 1;
  for (auto& x : v) {
    s = s * 1664525u + 1013904223u;
    x = lo + (hi - lo) * (s >> 8) / double(1u << 24);
  }
  return v;
}

double* up(const std::vector<double>& h) {
  double* d = nullptr;
  CK(cudaMalloc(&d, std::max<size_t>(8, h.size() * 8)));
  CK(cudaMemcpy(d, h.data(), h.size() * 8, cudaMemcpyHostToDevice));
  return d;
}

std::vector<double> down(const double* d, size_t n) {
  std::vector<double> h(n);
  CK(cudaMemcpy(h.data(), d, n * 8, cudaMemcpyDeviceToHost));
  return h;
}

std::string row(const char* name, size_t n, double ms, double transfer, double err, const char* rate, double r) {
  char b[512];
  std::snprintf(b, sizeof b,
                "{\"name\":\"%s\",\"n\":%zu,\"ms\":%.4g,\"transfer_ms\":%.4g,\"max_rel_err\":%.3g,\"rate\":\"%.4g %s\"}",
                name, n, ms, transfer, err, r, rate);
  return b;
}

/** cuBLAS dgemm through dlopen (column-major: C^T = B^T A^T gives row-major C = A B); ms or -1. */
double cublasMs(Timer& tm, int m, int n, int k, const double* A, const double* B, double* C, std::string* why) {
  void* h = nullptr;
  for (const char* lib : {"libcublas.so", "libcublas.so.13", "libcublas.so.12", "libcublas.so.11"})
    if ((h = dlopen(lib, RTLD_NOW))) break;
  if (!h) return *why = "libcublas not found", -1;
  using Create = int (*)(void**);
  using Dgemm = int (*)(void*, int, int, int, int, int, const double*, const double*, int, const double*, int,
                        const double*, double*, int);
  auto create = reinterpret_cast<Create>(dlsym(h, "cublasCreate_v2"));
  auto dgemm = reinterpret_cast<Dgemm>(dlsym(h, "cublasDgemm_v2"));
  void* handle = nullptr;
  if (!create || !dgemm || create(&handle) != 0) return *why = "cublasCreate failed", -1;
  const double one = 1, zero = 0;
  return tm.median([&] { dgemm(handle, 0, 0, n, m, k, &one, B, n, A, k, &zero, C, n); });
}

}  // namespace

int main(int argc, char** argv) {
  const size_t vec = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 100000000;
  const int gm = argc > 2 ? std::atoi(argv[2]) : 4096;
  const int bodies = argc > 3 ? std::atoi(argv[3]) : 65536;
  int count = 0;
  cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess || count == 0) {
    std::printf("{\"available\":false,\"code\":%d,\"reason\":\"%s\"}\n", int(e),
                e != cudaSuccess ? cudaGetErrorString(e) : "no CUDA device");
    return 3;
  }
  cudaDeviceProp prop;
  CK(cudaGetDeviceProperties(&prop, 0));
  Timer tm;
  std::vector<std::string> rows;
  // Copy bandwidth (read + write counted) and the memory-bound kernels, data resident.
  double t0 = wall();
  auto hx = values(vec, 1, 0, 1), hy = values(vec, 2, 0, 1);
  double *x = up(hx), *y = up(hy), *z = nullptr, *part = nullptr;
  const double upMs = wall() - t0;
  CK(cudaMalloc(&z, vec * 8));
  CK(cudaMalloc(&part, 4096 * 8));
  const double copyMs = tm.median([&] { CK(cudaMemcpy(z, x, vec * 8, cudaMemcpyDeviceToDevice)); });
  const double copyGbs = 16.0 * vec / copyMs / 1e6;
  const int grid = std::min<size_t>(4096, (vec + TPB - 1) / TPB);
  double ms = tm.median([&] { daxpy<<<grid, TPB>>>(vec, 0.75, x, y, z); });
  t0 = wall();
  auto hz = down(z, vec);
  double err = 0, scale = 0;
  for (size_t i = 0; i < vec; i += 997) err = std::max(err, std::fabs(hz[i] - (0.75 * hx[i] + hy[i]))), scale = std::max(scale, std::fabs(hz[i]));
  rows.push_back(row("saxpy", vec, ms, upMs + wall() - t0, err / scale, "GB/s", 24.0 * vec / ms / 1e6));
  for (int dot = 0; dot < 2; ++dot) {
    ms = tm.median([&] {
      reduceBlocks<<<grid, TPB>>>(vec, x, dot ? y : nullptr, part);
      reduceBlocks<<<1, TPB>>>(grid, part, nullptr, part + grid);
    });
    t0 = wall();
    const double got = down(part + grid, 1)[0];
    double want = 0;
    for (size_t i = 0; i < vec; ++i) want += dot ? hx[i] * hy[i] : hx[i];
    rows.push_back(row(dot ? "dot" : "sum", vec, ms, upMs / (dot ? 1 : 2) + wall() - t0, std::fabs(got - want) / std::fabs(want),
                       "GB/s", (dot ? 16.0 : 8.0) * vec / ms / 1e6));
  }
  CK(cudaFree(x)); CK(cudaFree(y)); CK(cudaFree(z)); CK(cudaFree(part));
  // Tiled dgemm and cuBLAS on the same matrices; the CPU reference on 8 sampled rows.
  t0 = wall();
  auto hA = values(size_t(gm) * gm, 3, -1, 1), hB = values(size_t(gm) * gm, 4, -1, 1);
  double *A = up(hA), *B = up(hB), *C = nullptr;
  CK(cudaMalloc(&C, size_t(gm) * gm * 8));
  const double gUp = wall() - t0;
  const dim3 blocks((gm + 63) / 64, (gm + 63) / 64), threads(16, 16);
  ms = tm.median([&] { dgemmTiled<<<blocks, threads>>>(gm, gm, gm, A, B, C); }, 5);
  t0 = wall();
  auto hC = down(C, size_t(gm) * gm);
  err = 0, scale = 0;
  for (int i = 0; i < gm; i += std::max(1, gm / 8))
    for (int j = 0; j < gm; ++j) {
      double s = 0;
      for (int q = 0; q < gm; ++q) s += hA[size_t(i) * gm + q] * hB[size_t(q) * gm + j];
      err = std::max(err, std::fabs(hC[size_t(i) * gm + j] - s)), scale = std::max(scale, std::fabs(s));
    }
  const double flops = 2.0 * gm * gm * gm;
  rows.push_back(row("gemm_tiled", size_t(gm) * gm, ms, gUp + wall() - t0, err / scale, "GFLOP/s", flops / ms / 1e6));
  std::string why;
  const double cb = cublasMs(tm, gm, gm, gm, A, B, C, &why);
  CK(cudaFree(A)); CK(cudaFree(B)); CK(cudaFree(C));
  // n-body accelerations.
  auto hp = values(size_t(bodies) * 4, 5, -1, 1);
  for (int i = 0; i < bodies; ++i) hp[4 * i + 3] = 0.5 + 0.5 * std::fabs(hp[4 * i + 3]);
  t0 = wall();
  double *P = up(hp), *Acc = nullptr;
  CK(cudaMalloc(&Acc, size_t(bodies) * 32));
  const double nUp = wall() - t0;
  const double eps2 = 1e-2;
  ms = tm.median([&] {
    nbodyAcc<<<(bodies + TPB - 1) / TPB, TPB>>>(bodies, eps2, reinterpret_cast<double4_32a*>(P), reinterpret_cast<double4_32a*>(Acc));
  }, 5);
  t0 = wall();
  auto ha = down(Acc, size_t(bodies) * 4);
  err = 0, scale = 0;
  for (int i = 0; i < bodies; i += std::max(1, bodies / 16)) {
    double ax = 0;
    for (int j = 0; j < bodies; ++j) {
      const double dx = hp[4 * j] - hp[4 * i], dy = hp[4 * j + 1] - hp[4 * i + 1], dz = hp[4 * j + 2] - hp[4 * i + 2];
      const double r2 = dx * dx + dy * dy + dz * dz + eps2;
      ax += dx * hp[4 * j + 3] / (r2 * std::sqrt(r2));
    }
    err = std::max(err, std::fabs(ha[4 * i] - ax)), scale = std::max(scale, std::fabs(ax));
  }
  rows.push_back(row("nbody", size_t(bodies), ms, nUp + wall() - t0, err / scale, "GFLOP/s", 20.0 * bodies * bodies / ms / 1e6));
  CK(cudaFree(P)); CK(cudaFree(Acc));
  std::printf("{\"available\":true,\"device\":\"%s\",\"copy_gbs\":%.4g,\"cublas_dgemm_ms\":%.4g,\"cublas\":\"%s\",\"kernels\":[",
              prop.name, copyGbs, cb, cb < 0 ? why.c_str() : "dlopen");
  for (size_t i = 0; i < rows.size(); ++i) std::printf("%s%s", i ? "," : "", rows[i].c_str());
  std::printf("]}\n");
  return 0;
}
