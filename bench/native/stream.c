/* STREAM-like bandwidth (copy c = a, triad a = b + s*c) over n doubles, OpenMP threads from
 * OMP_NUM_THREADS. Prints one JSON line: median and best GB/s of `reps` runs (STREAM's byte
 * counting: 16 B/element for copy, 24 for triad, no write-allocate traffic).
 * Built by bench/kernels.ts: gcc -O3 -march=native -fopenmp stream.c -o stream */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
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
  long n = argc > 1 ? atol(argv[1]) : 20000000;
  int reps = argc > 2 ? atoi(argv[2]) : 10;
  double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b), *c = malloc(n * sizeof *c);
  double* tc = malloc(reps * sizeof *tc);
  double* tt = malloc(reps * sizeof *tt);
#pragma omp parallel for schedule(static)
  for (long i = 0; i < n; i++) a[i] = 1.0, b[i] = 2.0, c[i] = 0.5;
  const double s = 3.0;
  for (int r = 0; r < reps; r++) {
    double t0 = now();
#pragma omp parallel for schedule(static)
    for (long i = 0; i < n; i++) c[i] = a[i];
    double t1 = now();
#pragma omp parallel for schedule(static)
    for (long i = 0; i < n; i++) a[i] = b[i] + s * c[i];
    double t2 = now();
    tc[r] = 16.0 * n / (t1 - t0) / 1e9;
    tt[r] = 24.0 * n / (t2 - t1) / 1e9;
  }
  double check = a[n / 2];
  qsort(tc, reps, sizeof *tc, cmp);
  qsort(tt, reps, sizeof *tt, cmp);
  printf("{\"threads\":%d,\"n\":%ld,\"copy_gbs\":%.2f,\"triad_gbs\":%.2f,\"copy_best_gbs\":%.2f,\"triad_best_gbs\":%.2f,\"check\":%g}\n",
         omp_get_max_threads(), n, tc[reps / 2], tt[reps / 2], tc[reps - 1], tt[reps - 1], check);
  return check == 5.0 ? 0 : 1;
}
