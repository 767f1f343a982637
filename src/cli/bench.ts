// `hotloop bench`: side-by-side benchmark of variants (or the talk's table), saved under
// .hotloop/results/ and printed as Markdown; `--csv`/`--json` print those instead.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { toCsv, toMarkdown } from '../core/bench/export.js';
import { runBench } from '../core/bench/runner.js';
import { saveResult } from '../core/bench/store.js';
import { runSweep } from '../core/bench/sweep.js';
import { runTalkTable } from '../core/bench/talkTable.js';
import type { ArgSpec, BenchResult, Variant } from '../core/bench/types.js';
import type { CliCommand } from './command.js';

const HELP = `usage:
  hotloop bench --talk [--n 5000] [--calls 100000] [--repeats 3]
  hotloop bench --kernel NAME --variant ID=FILE#EXPORT[:typed][:reassoc] … [options]

The first --variant is the reference (normally the original). Each runs in its own process on the same
seeded inputs; a variant whose output differs beyond the derived tolerance is marked WRONG, not ranked.

options:
  --arg SPEC        an argument: f64 | f32 | i32 (an array of n) or n (the size) or a number; repeatable,
                    default one f64 array
  --n N             input size (default 100000)
  --samples N       samples per variant (default 30)
  --sweep           also sweep n from 1 to --max-n (default 1e7, bounded by memory), crossover per variant
  --max-n N
  --seed N
  --timeout S       wall-clock limit in seconds (default 120; the talk table 600)
  --json | --csv    print the result as JSON or CSV instead of Markdown
  --no-save         don't write .hotloop/results/

exit status: 0 when every variant ran and matched the reference; 1 when any variant was WRONG or failed
(hung past the stall bound, died, did not load) — the others' figures are still printed; 2 on bad usage.
`;

function parseVariant(text: string): Variant {
  const m = /^([\w.-]+)=(.+?)#([\w$]+)((?::[a-z0-9]+)*)$/.exec(text);
  if (!m) throw new Error(`bad --variant '${text}'; expected ID=FILE#EXPORT[:typed][:reassoc][:f32]`);
  const flags = new Set(m[4]!.split(':').filter(Boolean));
  for (const f of flags)
    if (!['typed', 'reassoc', 'f32'].includes(f))
      throw new Error(`unknown flag ':${f}' in --variant '${text}'`);
  const module = m[2]!.startsWith('builtin:') ? m[2]! : resolve(m[2]!);
  return {
    id: m[1]!,
    label: m[1]!,
    module,
    export: m[3]!,
    input: flags.has('typed') ? 'typed' : 'array',
    reassociates: flags.has('reassoc'),
    f32: flags.has('f32'),
  };
}

function parseArg(text: string): ArgSpec {
  if (text === 'f64' || text === 'f32' || text === 'i32') return { kind: 'array', dtype: text };
  if (text === 'n') return { kind: 'scalar', value: 'n' };
  const v = Number(text);
  if (Number.isFinite(v)) return { kind: 'scalar', value: v };
  throw new Error(`bad --arg '${text}'; expected f64, f32, i32, n or a number`);
}

function num(v: string | undefined, name: string, dflt: number): number {
  if (v === undefined) return dflt;
  const x = Number(v);
  if (!Number.isFinite(x) || x <= 0) throw new Error(`--${name} must be a positive number, got '${v}'`);
  return x;
}

const STRING_OPTIONS = new Set([
  'kernel',
  'variant',
  'arg',
  'n',
  'calls',
  'repeats',
  'samples',
  'max-n',
  'seed',
  'timeout',
]);

/**
 * `--n -5` as `--n=-5`: node's parseArgs reads a value that starts with '-' as an option and says
 * "argument is ambiguous"; joined, the value reaches our own check ("--n must be a positive number").
 */
export function joinDashValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    if (
      a.startsWith('--') &&
      STRING_OPTIONS.has(a.slice(2)) &&
      (next === undefined || /^-[a-zA-Z-]/.test(next))
    ) {
      throw new Error(`${a} needs a value${next === undefined ? '' : ` (got the option '${next}')`}`);
    }
    if (a.startsWith('--') && STRING_OPTIONS.has(a.slice(2)) && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

export const benchCommand: CliCommand = {
  name: 'bench',
  summary: 'benchmark variants side by side (or --talk: the Python-vs-C table)',
  async run(argv, ctx) {
    const { values } = parseArgs({
      args: joinDashValues(argv),
      options: {
        talk: { type: 'boolean' },
        kernel: { type: 'string' },
        variant: { type: 'string', multiple: true },
        arg: { type: 'string', multiple: true },
        n: { type: 'string' },
        calls: { type: 'string' },
        repeats: { type: 'string' },
        samples: { type: 'string' },
        sweep: { type: 'boolean' },
        'max-n': { type: 'string' },
        seed: { type: 'string' },
        timeout: { type: 'string' },
        json: { type: 'boolean' },
        csv: { type: 'boolean' },
        'no-save': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      ctx.stdout.write(HELP);
      return 0;
    }
    const progress = (f: number, m: string): void => {
      ctx.stderr.write(
        `\r[${Math.round(f * 100)
          .toString()
          .padStart(3)} %] ${m}`.padEnd(60),
      );
    };
    let result: BenchResult;
    if (values.talk) {
      result = await runTalkTable(
        {
          n: num(values.n, 'n', 5000),
          calls: num(values.calls, 'calls', 100_000),
          repeats: num(values.repeats, 'repeats', 3),
          timeoutMs: num(values.timeout, 'timeout', 600) * 1000,
        },
        { signal: ctx.signal, onProgress: progress },
      );
    } else {
      if (!values.variant || values.variant.length < 1 || !values.kernel) {
        ctx.stderr.write(`hotloop bench: give --kernel and at least one --variant (or --talk)\n\n${HELP}`);
        return 2;
      }
      const spec = {
        kernel: values.kernel,
        variants: values.variant.map(parseVariant),
        args: (values.arg ?? ['f64']).map(parseArg),
        n: num(values.n, 'n', 100_000),
        seed: num(values.seed, 'seed', 42),
      };
      const timeoutMs = num(values.timeout, 'timeout', 120) * 1000;
      result = await runBench(
        spec,
        { samples: num(values.samples, 'samples', 30), timeoutMs },
        { signal: ctx.signal, onProgress: progress },
      );
      if (values.sweep) {
        const sweep = await runSweep(
          spec,
          { maxN: num(values['max-n'], 'max-n', 1e7), timeoutMs: timeoutMs * 2 },
          { signal: ctx.signal, onProgress: progress },
        );
        result = { ...result, sweep };
      }
    }
    ctx.stderr.write('\r'.padEnd(61) + '\r');
    if (!values['no-save']) ctx.stderr.write(`saved ${await saveResult(process.cwd(), result)}\n`);
    ctx.stdout.write(
      values.json ? JSON.stringify(result, null, 1) + '\n' : values.csv ? toCsv(result) : toMarkdown(result),
    );
    // Exit 1 when any variant is wrong or did not finish (hung, died, failed to load): the figures of
    // the others are printed, but a script must not read the run as clean.
    const failed = result.variants.filter(
      (v) => v.correctness.status === 'wrong' || v.correctness.status === 'error',
    );
    if (failed.length > 0)
      ctx.stderr.write(
        `hotloop bench: ${failed.map((v) => `${v.label} ${v.correctness.status === 'wrong' ? 'is WRONG' : 'failed'}`).join(', ')} (exit 1)\n`,
      );
    return failed.length > 0 ? 1 : 0;
  },
};
