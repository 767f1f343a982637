/** The small logging interface the engine takes; the extension bridges it to a LogOutputChannel, the CLI to stderr. */
export interface Logger {
  trace(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string | Error): void;
}

/** A logger that drops everything (tests, library use). */
export const nullLogger: Logger = {
  trace: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
