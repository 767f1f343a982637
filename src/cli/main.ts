// `hotloop <command> …`: the CLI over the same engine as the extension.
// Exit codes: 0 ok, 1 failure, 2 bad usage. Each command lives in its own file and registers here.
import type { CliCommand } from './command.js';

/** One line per command; each module exports a CliCommand. */
const commands: Record<string, () => Promise<CliCommand>> = {
  analyze: () => import('./analyze.js').then((m) => m.analyzeCommand),
  bench: () => import('./bench.js').then((m) => m.benchCommand),
  profile: () => import('./profile.js').then((m) => m.profileCommand),
  compare: () => import('./compare.js').then((m) => m.compareCommand),
  scaffold: () => import('./scaffold.js').then((m) => m.scaffoldCommand),
  advise: () => import('./advise.js').then((m) => m.adviseCommand),
  build: () => import('./build.js').then((m) => m.buildCommand),
  optimize: () => import('./optimize.js').then((m) => m.optimizeCommand),
  apply: () => import('./apply.js').then((m) => m.applyCommand),
};

function usage(): string {
  const lines = Object.keys(commands).map((name) => `  hotloop ${name} …`);
  return [
    'usage: hotloop <command> [options]',
    '',
    'commands:',
    ...lines,
    '',
    'hotloop <command> --help for its options.',
    '',
  ].join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`hotloop: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  const command = await load();
  const controller = new AbortController();
  process.once('SIGINT', () => {
    controller.abort();
  });
  try {
    return await command.run(rest, {
      signal: controller.signal,
      stdout: process.stdout,
      stderr: process.stderr,
    });
  } catch (err) {
    process.stderr.write(`hotloop ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`hotloop: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
