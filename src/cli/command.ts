/** What a CLI command gets: its own arguments, a cancellation signal and the output streams. */
export interface CliContext {
  readonly signal: AbortSignal;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** A `hotloop <name>` command. `run` returns the exit code (0 ok, 1 failure, 2 bad usage). */
export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  run(args: readonly string[], ctx: CliContext): Promise<number>;
}
