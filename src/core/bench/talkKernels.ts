// The talk's four operations, as plain JS loops over whatever array they get (the "pure Python"
// column), plus the other columns of the table, each behind the same `(xs) => number` signature.
// Native/wasm/worker columns are filled in by talkTargets.ts from whatever backends are available.
type Xs = ArrayLike<number>;

export function sum(xs: Xs): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s;
}

export function mean(xs: Xs): number {
  return sum(xs) / xs.length;
}

/** Population variance, two-pass (what the talk's var computed). */
export function variance(xs: Xs): number {
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) {
    const d = xs[i]! - m;
    s += d * d;
  }
  return s / xs.length;
}

export function std(xs: Xs): number {
  return Math.sqrt(variance(xs));
}

/** A deliberately wrong sum (skips the last element): the correctness check must catch it. */
export function sumWrong(xs: Xs): number {
  let s = 0;
  for (let i = 0; i < xs.length - 1; i++) s += xs[i]!;
  return s;
}
