// The command line of the CLI commands that run a target (`hotloop profile`, `hotloop compare`): the
// target (a file, --script, --npm, --command), where and how it runs, and each command's own options.
import { readFileSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { DEFAULT_INTERVAL_US, DEFAULT_TIMEOUT_MS } from '../core/profile/index.js';
import type { ProfileTarget } from '../core/profile/types.js';
import type { CliContext } from './command.js';

export interface RunArgs {
  target?: ProfileTarget;
  root: string;
  /** Sampling interval, µs. */
  interval: number;
  timeoutS: number;
  json: boolean;
  verbose: boolean;
}

/**
 * A command's own option: returns true when it took `name` (calling `value()` for its argument,
 * which throws "<name> needs a value" when there is none), false to leave it to the common ones.
 */
export type OwnOption = (name: string, value: () => string) => boolean;

/**
 * Parses `[options] [file] [-- target args]`; the error message for bad usage as a string.
 * `--command prog args…` (when allowed) takes everything after it as the command line.
 */
export function parseRunArgs(
  args: readonly string[],
  ownOption: OwnOption,
  opts: { command?: boolean } = {},
): RunArgs | string {
  const out: RunArgs = {
    root: process.cwd(),
    interval: DEFAULT_INTERVAL_US,
    timeoutS: DEFAULT_TIMEOUT_MS / 1000,
    json: false,
    verbose: false,
  };
  const dash = args.indexOf('--');
  const own = dash >= 0 ? args.slice(0, dash) : [...args];
  const rest = dash >= 0 ? args.slice(dash + 1) : [];
  try {
    for (let i = 0; i < own.length; i++) {
      const a = own[i]!;
      const value = (): string => {
        const v = own[++i];
        if (v === undefined) throw new Error(`${a} needs a value`);
        return v;
      };
      if (ownOption(a, value)) continue;
      switch (a) {
        case '--root':
          out.root = resolve(value());
          break;
        case '--interval':
          out.interval = Number(value());
          break;
        case '--timeout':
          out.timeoutS = Number(value());
          break;
        case '--json':
          out.json = true;
          break;
        case '--verbose':
          out.verbose = true;
          break;
        case '--script':
          out.target = { kind: 'script', file: value(), args: rest };
          break;
        case '--npm':
          out.target = { kind: 'npm', script: value(), args: rest };
          break;
        default:
          if (a === '--command' && opts.command) {
            const command = [...own.slice(i + 1), ...rest];
            if (command.length === 0) return '--command needs the program and its arguments';
            out.target = { kind: 'command', command };
            i = own.length;
            break;
          }
          if (a.startsWith('-')) return `unknown option ${a}`;
          if (out.target) return `unexpected argument ${a} (pass the target's own arguments after --)`;
          out.target = { kind: 'file', file: a, args: rest };
      }
    }
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  if (!(out.interval > 0) || !(out.timeoutS > 0)) return '--interval and --timeout must be positive numbers';
  return out;
}

/**
 * --help / -h prints the help (exit 0); a usage error prints it with the help on stderr (exit 2);
 * otherwise the parsed arguments.
 */
export function parsedOrExit<T>(
  name: string,
  help: string,
  args: readonly string[],
  ctx: CliContext,
  parse: (args: readonly string[]) => T | string,
): T | number {
  if (args.includes('--help') || args.includes('-h')) {
    ctx.stdout.write(help);
    return 0;
  }
  const parsed = parse(args);
  if (typeof parsed === 'string') {
    ctx.stderr.write(`hotloop ${name}: ${parsed}\n\n${help}`);
    return 2;
  }
  return parsed;
}

const isFile = (p: string): boolean => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

/**
 * A clear reason the target cannot run, found before anything is bundled or spawned: a missing
 * file, an npm script package.json does not have, a program that is not on PATH.
 */
export function checkTarget(target: ProfileTarget, root: string): string | undefined {
  switch (target.kind) {
    case 'file':
    case 'script': {
      const abs = resolve(root, target.file);
      return isFile(abs) ? undefined : `cannot run ${target.file}: no such file (looked for ${abs})`;
    }
    case 'npm': {
      let scripts: Record<string, unknown>;
      try {
        const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
          scripts?: Record<string, unknown>;
        };
        scripts = pkg.scripts ?? {};
      } catch {
        return `--npm ${target.script}: there is no readable package.json in ${root}`;
      }
      if (typeof scripts[target.script] === 'string') return undefined;
      const names = Object.keys(scripts);
      return `--npm ${target.script}: package.json in ${root} has no script '${target.script}' (${names.length ? `scripts: ${names.join(', ')}` : 'it has no scripts'})`;
    }
    case 'command': {
      const prog = target.command[0] ?? '';
      if (prog.includes('/'))
        return isFile(isAbsolute(prog) ? prog : resolve(root, prog))
          ? undefined
          : `--command: program '${prog}' does not exist`;
      const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
      return dirs.some((d) => isFile(join(d, prog)))
        ? undefined
        : `--command: program '${prog}' was not found on PATH`;
    }
  }
}
