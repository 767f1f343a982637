// How bench:rewrites runs each corpus library's own tests: the test runner packages it installs into
// the library's temporary copy (pinned; the library's full devDependencies of 2015–2019 — gulp, grunt,
// babel 5/6, istanbul — do not install or run on Node 20, so only the runner its tests need), and
// the commands, each an argument array run in the copy. Every command must exit 0 on the unmodified
// copy first (the baseline), or the library is reported and skipped.

export interface LibTests {
  /** corpus/<dir>. */
  readonly dir: string;
  /** `npm install --no-save` of these into the copy (exact versions). */
  readonly install: readonly string[];
  /** Commands run in order; all must exit 0. `{bin}` is the copy's node_modules/.bin, `{repo}` Hotloop's checkout. */
  readonly test: readonly (readonly string[])[];
  /** Why these commands are the library's tests. */
  readonly why: string;
  /**
   * The library's own benchmark scripts, where it ships some: run after the tests (strict, probed) as
   * the workload whose calls are replayed, and their output, timings left out, must be the unmodified
   * library's.
   */
  readonly bench?: readonly (readonly string[])[];
  readonly benchWhy?: string;
}

/** A line of a bench script's output that reports a timing (left out of the comparison). */
export const TIMING_LINE = /\d\s*(?:ms|s|ops\/sec|µs|ns)\b|ops\/sec|per (?:iter|FFT|DFT|op)/i;

/** mljs packages: jest-style tests in src/__tests__, run by mocha with tsx's CJS transform and jest's expect. */
const mljs = (dir: string, deps: readonly string[]): LibTests => ({
  dir,
  install: ['mocha@10.8.2', 'tsx@4.23.15', 'expect@29.7.0', ...deps],
  test: [
    [
      '{bin}/mocha',
      '-R',
      'dot',
      '--require',
      'tsx/cjs',
      '--require',
      '{repo}/bench/rewritesJestGlobals.cjs',
      'src/__tests__/*.test.js',
    ],
  ],
  why: 'the shipped jest-style tests (describe/it/expect, `import x from ".."` = package main lib/index.js): mocha runs them, tsx/cjs transforms the import, jest\'s expect is the global',
});

export const LIB_TESTS: readonly LibTests[] = [
  {
    dir: 'density-clustering',
    install: ['mocha@10.8.2', 'should@5.2.0'],
    test: [['{bin}/mocha', '-R', 'dot']],
    why: 'package.json "test": "mocha -R spec" (mocha 2 + should 5); mocha 10 runs the same test/*.test.js',
  },
  {
    dir: 'fili',
    install: ['mocha@10.8.2', 'should@6.0.3'],
    test: [['{bin}/mocha', '-R', 'dot', '--recursive', 'test']],
    why: 'package.json "test": standard && istanbul cover _mocha --recursive test; the lint and coverage steps are left out (ES5 tests need no babel)',
  },
  {
    dir: 'regression',
    install: ['mocha@10.8.2', 'chai@3.5.0', 'tsx@4.23.15'],
    test: [['{bin}/mocha', '-R', 'dot', '--require', 'tsx/cjs', 'test/regression.test.js']],
    why: 'package.json "test": mocha with babel-core/register (ES module syntax): tsx/cjs does that transform here',
  },
  {
    dir: 'skmeans',
    install: [],
    test: [
      ['node', 'test/uni.js'],
      ['node', 'test/multi.js'],
      ['node', 'test/test_custom.js'],
      ['node', 'test/test_rand.js'],
    ],
    bench: [['node', 'test/test.js']],
    benchWhy: 'test/test.js: skmeans on 1,000 points, 1-D and 2-D, 10,000 times each, printing ops/sec',
    why: 'the shipped test/ scripts (no assertions: they pass when they exit 0; test/test.js is the timing loop, the bench)',
  },
  {
    dir: 'euclidean-distance',
    install: ['mocha@10.8.2'],
    test: [['{bin}/mocha', '-R', 'dot']],
    why: 'package.json "test": "mocha" (mocha 2); mocha 10 runs the same test/index.js',
  },
  {
    dir: 'dsp-js',
    install: [],
    test: ['adsr', 'beatdetect', 'dft', 'fft', 'filter', 'iirfilter', 'multidelay', 'oscillator'].map((t) => [
      'node',
      '{repo}/bench/rewritesJsShell.cjs',
      `test/${t}-test.js`,
    ]),
    bench: [
      ['-e', 'var FREQUENCY=440;', '-f', 'dsp.js', '-f', 'bench/bench.js', '-f', 'bench/dft.js'],
      ['-e', 'var FREQUENCY=440;', '-f', 'dsp.js', '-f', 'bench/bench.js', '-f', 'bench/fft.js'],
      ['-e', 'var FREQUENCY=440;', '-f', 'dsp.js', '-f', 'bench/bench.js', '-f', 'bench/rfft.js'],
      ['-f', 'dsp.js', '-f', 'bench/bench.js', '-f', 'bench/deinterleave.js'],
    ].map((a) => ['node', '{repo}/bench/rewritesJsShell.cjs', ...a]),
    benchWhy:
      'Makefile "benchmark": `$JSSHELL -m -j -p -e \'var FREQUENCY=440;\' -f dsp.js -f ./bench/bench.js -f ./bench/<dft|fft|rfft|deinterleave>.js` (2,048-sample DFT, FFT, RFFT, deinterleave), run by bench/rewritesJsShell.cjs',
    why: 'the shipped test/*-test.js, written for a JavaScript shell (load/print; they pass when they run to the end): bench/rewritesJsShell.cjs gives them load/print under node; test/reverb-test.js fails on the unmodified library (IIRFilter2 calls Float64Array(4) without new) and is left out',
  },
  mljs('ml-array-variance', ['is-any-array@2.0.1', 'ml-array-mean@1.1.6']),
  mljs('ml-array-rescale', ['is-any-array@2.0.1', 'ml-array-max@1.2.4', 'ml-array-min@1.2.3']),
  mljs('ml-array-normed', ['is-any-array@2.0.1', 'ml-array-max@1.2.4', 'ml-array-sum@1.1.6']),
];
