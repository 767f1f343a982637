// Dense matrix products on row-major Float64Arrays: C (n×m) = A (n×k) · B (k×m), and y = A·x.

export function gemm(a: Float64Array, b: Float64Array, c: Float64Array, n: number, m: number, k: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let acc = 0;
      for (let p = 0; p < k; p++) {
        acc += a[i * k + p] * b[p * m + j];
      }
      c[i * m + j] = acc;
    }
  }
}

export function gemv(a: Float64Array, x: Float64Array, y: Float64Array, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) {
    let acc = 0;
    for (let j = 0; j < cols; j++) {
      acc += a[i * cols + j] * x[j];
    }
    y[i] = acc;
  }
}

/** The same product on nested arrays, allocating each row (allocates: not translatable as written). */
export function matmulNested(a: number[][], b: number[][]): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < a.length; i++) {
    const row = new Array<number>(b[0].length).fill(0);
    for (let p = 0; p < b.length; p++) {
      for (let j = 0; j < row.length; j++) {
        row[j] += a[i][p] * b[p][j];
      }
    }
    out.push(row);
  }
  return out;
}
