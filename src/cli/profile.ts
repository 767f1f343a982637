// `hotloop profile`: run a target under the V8 CPU profiler (or import a .cpuprofile) and print the
// hot loops, the CPU/IO verdict and the advice; the result is stored under .hotloop/profiles/.
import { resolve } from 'node:path';
import { DEFAULT_INTERVAL_US, DEFAULT_TIMEOUT_MS, importProfile, profileTarget, saveProfile } from '../core/profile/index.js';
import { formatResult } from '../core/profile/format.js';
import type { ProfileResult, ProfileTarget } from '../core/profile/types.js';
import type { CliCommand } from './command.js';
import { stderrLogger } from './logger.js';

const help = `usage: hotloop profile [options] <file.ts|file.js> [-- args…]
       hotloop profile [options] --script <file.js> [-- args…]
       hotloop profile [options] --npm <script> [-- args…]
       hotloop profile [options] --command <program> [args…]
       hotloop profile [options] --import <file.cpuprofile>

Runs the target in a child process under the V8 CPU profiler (TS through an esbuild bundle with
source maps), attributes the samples to loops, says whether the run is CPU- or IO-bound.

options:
  --root <dir>        workspace root (cwd of the target, base of loop ids); default: cwd
  --interval <µs>     sampling interval (default ${DEFAULT_INTERVAL_US})
  --timeout <s>       stop the target after this many seconds (default ${DEFAULT_TIMEOUT_MS / 1000})
  --shapes            second pass: trip counts and array sizes of the top loops
  --json              print the result as JSON
  --no-save           do not store the result under <root>/.hotloop/profiles/
  --verbose           log the target's output to stderr
`;

interface Parsed {
  target?: ProfileTarget;
  importFile?: string;
  root: string;
  interval: number;
  timeoutS: number;
  shapes: boolean;
  json: boolean;
  save: boolean;
  verbose: boolean;
}

function parse(args: readonly string[]): Parsed | string {
  const out: Parsed = { root: process.cwd(), interval: DEFAULT_INTERVAL_US, timeoutS: DEFAULT_TIMEOUT_MS / 1000, shapes: false, json: false, save: true, verbose: false };
  const dash = args.indexOf('--');
  const own = dash >= 0 ? args.slice(0, dash) : [...args];
  const rest = dash >= 0 ? args.slice(dash + 1) : [];
  const value = (i: number, name: string): string => {
    const v = own[i + 1];
    if (v === undefined) throw new Error(`${name} needs a value`);
    return v;
  };
  try {
    for (let i = 0; i < own.length; i++) {
      const a = own[i]!;
      switch (a) {
        case '--root': out.root = resolve(value(i, a)); i++; break;
        case '--interval': out.interval = Number(value(i, a)); i++; break;
        case '--timeout': out.timeoutS = Number(value(i, a)); i++; break;
        case '--shapes': out.shapes = true; break;
        case '--json': out.json = true; break;
        case '--no-save': out.save = false; break;
        case '--verbose': out.verbose = true; break;
        case '--script': out.target = { kind: 'script', file: value(i, a), args: rest }; i++; break;
        case '--npm': out.target = { kind: 'npm', script: value(i, a), args: rest }; i++; break;
        case '--import': out.importFile = value(i, a); i++; break;
        case '--command': {
          const command = [...own.slice(i + 1), ...rest];
          if (command.length === 0) return '--command needs the program and its arguments';
          out.target = { kind: 'command', command };
          i = own.length;
          break;
        }
        default:
          if (a.startsWith('-')) return `unknown option ${a}`;
          if (out.target) return `unexpected argument ${a} (pass the target's own arguments after --)`;
          out.target = { kind: 'file', file: a, args: rest };
      }
    }
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  if (!out.target && !out.importFile) return 'give a file to profile, --script, --npm, --command or --import';
  if (!(out.interval > 0) || !(out.timeoutS > 0)) return '--interval and --timeout must be positive numbers';
  return out;
}

export const profileCommand: CliCommand = {
  name: 'profile',
  summary: 'run a target under the V8 CPU profiler; hot loops, CPU vs IO',
  async run(args, ctx) {
    if (args.includes('--help') || args.includes('-h')) {
      ctx.stdout.write(help);
      return 0;
    }
    const parsed = parse(args);
    if (typeof parsed === 'string') {
      ctx.stderr.write(`hotloop profile: ${parsed}\n\n${help}`);
      return 2;
    }
    const logger = stderrLogger(ctx, parsed.verbose);
    const options = { root: parsed.root, intervalUs: parsed.interval, timeoutMs: parsed.timeoutS * 1000, signal: ctx.signal, logger, shapes: parsed.shapes };
    const result: ProfileResult = parsed.importFile ? await importProfile(resolve(parsed.importFile), options) : await profileTarget(parsed.target!, options);
    if (parsed.save) {
      const file = saveProfile(parsed.root, result);
      logger.info(`saved ${file}`);
    }
    ctx.stdout.write(parsed.json ? `${JSON.stringify(result)}\n` : formatResult(result));
    return 0;
  },
};
