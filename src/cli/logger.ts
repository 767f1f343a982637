// The CLI's logger: warnings and errors always go to stderr, trace and info only with --verbose.
import type { Logger } from '../core/logger.js';
import type { CliContext } from './command.js';

export function stderrLogger(ctx: CliContext, verbose: boolean): Logger {
  const w = (m: string): void => {
    ctx.stderr.write(`${m}\n`);
  };
  return {
    trace: (m) => {
      if (verbose) w(m);
    },
    info: (m) => {
      if (verbose) w(m);
    },
    warn: w,
    error: (m) => {
      w(m instanceof Error ? m.message : m);
    },
  };
}
