// `hotloop build <dir>`: build a scaffold folder with the commands of its README (npm install when
// its dependencies do not resolve, npm run build, the CUDA flavour where nvcc is installed) and run
// its generated check against the original. Compiler output streams to stderr.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildScaffold } from '../core/scaffold/build/index.js';
import type { BuildResult } from '../core/scaffold/build/index.js';
import type { Logger } from '../core/logger.js';
import type { CliCommand, CliContext } from './command.js';

const HELP = `usage: hotloop build DIR [--sanitize] [--no-install] [--no-sandbox] [--timeout SECONDS] [--json]

Builds the scaffold folder DIR (made by \`hotloop scaffold\`) the way its README says, after checking
that the tools it needs are installed (node, npm; g++/make/python3 for node-gyp; nvcc for cuda/), then
runs its \`npm run check\` (the rewrite against the original on recorded inputs).

options:
  --sanitize       native: also run \`npm run sanitize\` (AddressSanitizer + UBSan build and check)
  --no-install     never run \`npm install\` (fail when dependencies are missing instead)
  --no-sandbox     run the steps outside the OS sandbox (Linux + bubblewrap: only the folder writable)
  --timeout S      stop the build after S seconds (default 600)
  --json           print the result as JSON on stdout (compiler output still goes to stderr)
  -h, --help       this help

exit codes: 0 built and the check matches, 1 build or check failed, 2 bad usage.
`;

function stderrLogger(ctx: CliContext): Logger {
  const write = (level: string, m: string): void => {
    ctx.stderr.write(`hotloop build: ${level}${m.replace(/^build: /, '')}\n`);
  };
  // Errors are the failure's reason, which the summary prints once at the end.
  return {
    trace: () => undefined,
    info: (m) => {
      write('', m);
    },
    warn: (m) => {
      write('warning: ', m);
    },
    error: () => undefined,
  };
}

function summary(r: BuildResult): string {
  const steps = r.steps.map(
    (s) =>
      `  ${[s.cmd, ...s.args].join(' ').padEnd(24)} ${s.skipped ? `skipped (${s.skipped})` : `exit ${String(s.code)}, ${(s.ms / 1000).toFixed(1)} s`}`,
  );
  const head = r.ok
    ? `built ${r.dir} (${String(r.kind)}); the check matches the original`
    : `build of ${r.dir} failed (${String(r.failure)})`;
  return [
    head,
    ...steps,
    ...r.warnings.map((w) => `warning: ${w}`),
    ...(r.reason ? ['', r.reason] : []),
    '',
  ].join('\n');
}

export const buildCommand: CliCommand = {
  name: 'build',
  summary: 'build a scaffold folder and run its check',
  async run(argv, ctx) {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...argv],
        allowPositionals: true,
        options: {
          sanitize: { type: 'boolean' },
          'no-install': { type: 'boolean' },
          'no-sandbox': { type: 'boolean' },
          timeout: { type: 'string' },
          json: { type: 'boolean' },
          help: { type: 'boolean', short: 'h' },
        },
      });
    } catch (err) {
      ctx.stderr.write(`hotloop build: ${err instanceof Error ? err.message : String(err)}\n\n${HELP}`);
      return 2;
    }
    const { values, positionals } = parsed;
    if (values.help) {
      ctx.stdout.write(HELP);
      return 0;
    }
    if (positionals.length !== 1) {
      ctx.stderr.write(HELP);
      return 2;
    }
    const timeout = values.timeout === undefined ? 600 : Number(values.timeout);
    if (!Number.isFinite(timeout) || timeout <= 0) {
      ctx.stderr.write(
        `hotloop build: --timeout needs a positive number of seconds, got '${values.timeout ?? ''}'\n`,
      );
      return 2;
    }
    const result = await buildScaffold(resolve(positionals[0]!), {
      signal: ctx.signal,
      log: stderrLogger(ctx),
      onOutput: (text) => {
        ctx.stderr.write(text);
      },
      timeoutMs: timeout * 1000,
      install: !values['no-install'],
      sanitize: values.sanitize ?? false,
      sandbox: !values['no-sandbox'],
    });
    if (values.json) ctx.stdout.write(JSON.stringify(result, null, 2) + '\n');
    else (result.ok ? ctx.stdout : ctx.stderr).write(summary(result));
    return result.ok ? 0 : 1;
  },
};
