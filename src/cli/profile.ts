// `hotloop profile`: run a target under the V8 CPU profiler (or import a .cpuprofile) and print the
// hot loops, the CPU/IO verdict and the advice; the result is stored under .hotloop/profiles/.
import { resolve } from 'node:path';
import {
  DEFAULT_INTERVAL_US,
  DEFAULT_TIMEOUT_MS,
  importProfile,
  profileTarget,
  saveProfile,
} from '../core/profile/index.js';
import { formatResult } from '../core/profile/format.js';
import type { ProfileResult } from '../core/profile/types.js';
import type { CliCommand } from './command.js';
import { stderrLogger } from './logger.js';
import type { RunArgs } from './runArgs.js';
import { checkTarget, parsedOrExit, parseRunArgs } from './runArgs.js';

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

interface Parsed extends RunArgs {
  importFile?: string;
  shapes: boolean;
  save: boolean;
}

function parse(args: readonly string[]): Parsed | string {
  const own = { importFile: undefined as string | undefined, shapes: false, save: true };
  const common = parseRunArgs(
    args,
    (name, value) => {
      switch (name) {
        case '--shapes':
          own.shapes = true;
          return true;
        case '--no-save':
          own.save = false;
          return true;
        case '--import':
          own.importFile = value();
          return true;
        default:
          return false;
      }
    },
    { command: true },
  );
  if (typeof common === 'string') return common;
  if (!common.target && !own.importFile)
    return 'give a file to profile, --script, --npm, --command or --import';
  return {
    ...common,
    shapes: own.shapes,
    save: own.save,
    ...(own.importFile ? { importFile: own.importFile } : {}),
  };
}

export const profileCommand: CliCommand = {
  name: 'profile',
  summary: 'run a target under the V8 CPU profiler; hot loops, CPU vs IO',
  async run(args, ctx) {
    const parsed = parsedOrExit('profile', help, args, ctx, parse);
    if (typeof parsed === 'number') return parsed;
    const bad = parsed.importFile ? undefined : checkTarget(parsed.target!, parsed.root);
    if (bad) {
      ctx.stderr.write(`hotloop profile: ${bad}\n`);
      return 1;
    }
    const logger = stderrLogger(ctx, parsed.verbose);
    const options = {
      root: parsed.root,
      intervalUs: parsed.interval,
      timeoutMs: parsed.timeoutS * 1000,
      signal: ctx.signal,
      logger,
      shapes: parsed.shapes,
    };
    const result: ProfileResult = parsed.importFile
      ? await importProfile(resolve(parsed.importFile), options)
      : await profileTarget(parsed.target!, options);
    if (parsed.save) {
      const file = saveProfile(parsed.root, result);
      logger.info(`saved ${file}`);
    }
    ctx.stdout.write(parsed.json ? `${JSON.stringify(result)}\n` : formatResult(result));
    return 0;
  },
};
