/* dgemm n×n (row-major, C = A·B) with OpenBLAS (cblas) — or a naive i-j-k loop with argv[2] =
 * "naive" — median GFLOP/s of `reps` runs. Prints one JSON line with a checksum of C so the
 * caller can check the result against its own gemm. OPENBLAS_NUM_THREADS=1 is set by the caller.
 * Built by bench/kernels.ts: gcc -O2 openblas_gemm.c -lopenblas -o openblas_gemm */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}
static int cmp(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char** argv) {
  int n = argc > 1 ? atoi(argv[1]) : 1024;
  int naive = argc > 2 && strcmp(argv[2], "naive") == 0;
  int reps = argc > 3 ? atoi(argv[3]) : 7;
  double *A = malloc(sizeof(double) * n * n), *B = malloc(sizeof(double) * n * n), *C = malloc(sizeof(double) * n * n);
  /* Same inputs as bench/kernels.ts: A[i] = ((i*7) % 13 - 6) / 8, B[i] = ((i*5) % 11 - 5) / 8. */
  for (long i = 0; i < (long)n * n; i++) A[i] = ((i * 7) % 13 - 6) / 8.0, B[i] = ((i * 5) % 11 - 5) / 8.0;
  double* t = malloc(sizeof(double) * reps);
  for (int r = 0; r < reps; r++) {
    double t0 = now();
    if (naive) {
      for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
          double s = 0;
          for (int p = 0; p < n; p++) s += A[(long)i * n + p] * B[(long)p * n + j];
          C[(long)i * n + j] = s;
        }
    } else {
      cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, A, n, B, n, 0.0, C, n);
    }
    t[r] = 2.0 * n * n * n / (now() - t0) / 1e9;
  }
  double sum = 0;
  for (long i = 0; i < (long)n * n; i++) sum += C[i] * (1 + (i % 7));
  qsort(t, reps, sizeof *t, cmp);
  printf("{\"gflops\":%.2f,\"best_gflops\":%.2f,\"checksum\":%.17g}\n", t[reps / 2], t[reps - 1], sum);
  return 0;
}
