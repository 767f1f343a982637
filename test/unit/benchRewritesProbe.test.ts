// bench:rewrites' probe and replay (bench/rewritesProbe.cjs preloaded into a library's test run,
// bench/rewritesTime.cjs): the probe counts the calls that reach a Hotloop wrapper and keeps, for a
// small shape, one sample per scalar arguments (copied before the call); the replay times the
// heaviest of the largest shape. dsp.js's FFT table loop runs limit = 1, 2, … 512 times on one
// 1024-element table: its first call, one iteration, was the one replayed before (0.07×).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BENCH = join(import.meta.dirname, '..', '..', 'bench');
const FILL =
  'exports.fill = (limit, t, bit) => { for (let i = 0; i < limit; i++) t[i + limit] = t[i] + bit; };\n';

interface Sample {
  key: string;
  size: number;
  args: { num?: number; values?: (number | null)[]; rows?: { values?: (number | null)[] }[] }[];
}

interface ProbeState {
  calls: Record<string, number>;
  samples: Record<string, Sample[]>;
}

/** Runs `root/main.js` with the probe preloaded; the state it wrote at exit. */
function runProbed(root: string): ProbeState {
  const probeDir = join(root, 'probe');
  execFileSync(process.execPath, ['main.js'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_OPTIONS: `--require=${join(BENCH, 'rewritesProbe.cjs')}`,
      HOTLOOP_PROBE_DIR: probeDir,
    },
  });
  const [file] = readdirSync(probeDir);
  assert.ok(file, 'the probe wrote its state');
  return JSON.parse(readFileSync(join(probeDir, file), 'utf8')) as ProbeState;
}

test('the probe keeps every scalar variant of a small shape; the replay runs all of them in turn', () => {
  const root = mkdtempSync(join(tmpdir(), 'hl-probe-'));
  try {
    const folder = join(root, 'hotloop', 'fill-native');
    mkdirSync(join(folder, 'dist'), { recursive: true });
    writeFileSync(join(folder, 'dist', 'index.js'), FILL);
    writeFileSync(join(folder, 'dist', 'original.js'), FILL);
    writeFileSync(
      join(root, 'main.js'),
      "const { fill } = require('./hotloop/fill-native/dist/index.js');\nconst t = new Uint32Array(1024);\nfor (let limit = 1, bit = 512; limit < 1024; limit <<= 1, bit >>= 1) fill(limit, t, bit);\n",
    );
    const state = runProbed(root);
    assert.equal(state.calls.fill, 10);
    const samples = state.samples.fill!;
    assert.deepEqual(
      samples.map((s) => s.args[0]!.num),
      [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
    );
    // Copied before the call: the 512 call found the lower half filled, the upper half still 0.
    const last = samples.at(-1)!.args[1]!.values!;
    assert.equal(
      last.slice(512).every((x) => x === 0),
      true,
    );
    assert.deepEqual(last.slice(0, 4), [0, 512, 256, 768]);
    const samplesFile = join(root, 'samples.json');
    writeFileSync(samplesFile, JSON.stringify(samples));
    const out = execFileSync(
      process.execPath,
      [join(BENCH, 'rewritesTime.cjs'), folder, 'fill', samplesFile, '3'],
      {
        encoding: 'utf8',
      },
    );
    const timed = JSON.parse(out.trim().split('\n').at(-1)!) as { mix: number; agree: boolean };
    // Every recorded call of the one shape is replayed in turn (limit 1 … 512), not the heaviest alone.
    assert.equal(timed.mix, 10);
    assert.equal(timed.agree, true);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a kernel that fills an array its function allocates is timed against the original allocating it', () => {
  const root = mkdtempSync(join(tmpdir(), 'hl-fresh-'));
  try {
    mkdirSync(join(root, 'dist'));
    // fili's Fft.magnitude: `var ret = []; … ret.push(Math.sqrt(re² + im²))`. The wrapper allocates and
    // returns it; original.js fills the array passed last.
    writeFileSync(
      join(root, 'dist', 'index.js'),
      'exports.mag = (re, im) => { const r = []; for (let i = 0; i < re.length; i++) r.push(Math.sqrt(re[i] * re[i] + im[i] * im[i])); return r; };\n',
    );
    writeFileSync(
      join(root, 'dist', 'original.js'),
      'exports.mag = (re, im, ret) => { for (let i = 0; i < re.length; i++) ret[i] = Math.sqrt(re[i] * re[i] + im[i] * im[i]); return ret; };\n',
    );
    const values = Array.from({ length: 64 }, (_, i) => i / 3 - 5);
    const samplesFile = join(root, 'samples.json');
    writeFileSync(
      samplesFile,
      JSON.stringify([
        {
          key: 'Float64Array:64,Float64Array:64',
          size: 128,
          args: [
            { array: 'Float64Array', values },
            { array: 'Float64Array', values: values.map((x) => x * 2) },
          ],
        },
      ]),
    );
    const out = execFileSync(
      process.execPath,
      [join(BENCH, 'rewritesTime.cjs'), root, 'mag', samplesFile, '3'],
      {
        encoding: 'utf8',
      },
    );
    const timed = JSON.parse(out.trim().split('\n').at(-1)!) as {
      skip?: string;
      agree: boolean;
      original: number[];
    };
    assert.equal(timed.skip, undefined);
    assert.equal(timed.agree, true);
    assert.equal(timed.original.length, 3);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the replay leaves out a recorded call the original throws on, and fails on one only the rewrite throws on', () => {
  const root = mkdtempSync(join(tmpdir(), 'hl-mix-'));
  try {
    mkdirSync(join(root, 'dist'));
    const body = (extra: string): string =>
      `exports.total = (xs, k) => { ${extra}if (k < 0) throw new RangeError('k'); let s = 0; for (let i = 0; i < xs.length; i++) s += xs[i] * k; return s; };\n`;
    writeFileSync(join(root, 'dist', 'original.js'), body(''));
    const sample = (k: number): unknown => ({
      key: `Float64Array:4,n=${k}`,
      size: 5,
      args: [{ array: 'Float64Array', values: [1, 2, 3, 4] }, { num: k }],
    });
    const samplesFile = join(root, 'samples.json');
    writeFileSync(samplesFile, JSON.stringify([sample(2), sample(-1), sample(3)]));
    const time = (): { mix?: number; agree?: boolean } =>
      JSON.parse(
        execFileSync(process.execPath, [join(BENCH, 'rewritesTime.cjs'), root, 'total', samplesFile, '3'], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        })
          .trim()
          .split('\n')
          .at(-1)!,
      ) as { mix?: number; agree?: boolean };
    writeFileSync(join(root, 'dist', 'index.js'), body(''));
    const t = time();
    assert.deepEqual([t.mix, t.agree], [2, true]);
    writeFileSync(
      join(root, 'dist', 'index.js'),
      body("if (k === 3) throw new Error('hotloop: ran the original');\n"),
    );
    assert.throws(time, /ran the original/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the probe keeps rows with null elements (regression’s points with no y) and drops rows it cannot copy', () => {
  const root = mkdtempSync(join(tmpdir(), 'hl-probe-null-'));
  try {
    mkdirSync(join(root, 'hotloop', 'lin-js', 'dist'), { recursive: true });
    writeFileSync(
      join(root, 'hotloop', 'lin-js', 'dist', 'index.js'),
      'exports.lin = (data) => data.length;\n',
    );
    writeFileSync(
      join(root, 'main.js'),
      "const { lin } = require('./hotloop/lin-js/dist/index.js');\nlin([[1, 2], [2, null], [3, 4]]);\nlin([[1, 2], [2, 'x']]);\n",
    );
    const state = runProbed(root);
    assert.equal(state.calls.lin, 2);
    assert.equal(state.samples.lin!.length, 1, 'the row with a string is no sample');
    assert.deepEqual(
      state.samples.lin![0]!.args[0]!.rows!.map((r) => r.values),
      [
        [1, 2],
        [2, null],
        [3, 4],
      ],
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("rewritesJsShell runs a shell's -e CODE -f FILE… command line in one global scope", () => {
  const dir = mkdtempSync(join(tmpdir(), 'hotloop-jsshell-'));
  writeFileSync(
    join(dir, 'lib.js'),
    'function twice(x) { return 2 * x; }\nif (typeof module !== "undefined") module.exports = { twice: twice };\n',
  );
  writeFileSync(join(dir, 'bench.js'), 'print("got " + twice(FREQUENCY));\n');
  const shell = join(import.meta.dirname, '..', '..', 'bench', 'rewritesJsShell.cjs');
  const out = execFileSync(
    process.execPath,
    [shell, '-e', 'var FREQUENCY=21;', '-f', 'lib.js', '-f', 'bench.js'],
    {
      cwd: dir,
      encoding: 'utf8',
    },
  );
  assert.equal(out.trim(), 'got 42');
  // Anything else is refused (with the usage), not run.
  assert.throws(() => execFileSync(process.execPath, [shell, '-x', 'bench.js'], { cwd: dir, stdio: 'pipe' }));
  rmSync(dir, { recursive: true, force: true });
});
