// One build step: a command with an argument array (never a shell string) in its own process group,
// its output streamed to the caller and kept (error lines + tail) for the failure message; the whole
// group (and anything that left it, see core/process/group.ts) is killed on abort or past the deadline,
// and the step returns only once it is gone.
import { spawnGroup } from '../../process/group.js';
import { sandboxed, type SandboxRequest } from '../../process/sandbox.js';

export interface StepRequest {
  readonly cmd: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
  /** performance.now() past which the step is killed. */
  readonly deadline: number;
  readonly onOutput?: (text: string, stream: 'stdout' | 'stderr') => void;
  /** Run in the OS sandbox (when there is one here): only these folders writable, a PID namespace. */
  readonly sandbox?: SandboxRequest;
}

export interface StepOutcome {
  readonly code: number | null;
  readonly ms: number;
  readonly cancelled: boolean;
  readonly timedOut: boolean;
  readonly spawnError?: string;
  /** The first lines that look like errors (compiler `error:`, tsc `error TS…`, `gyp ERR!`). */
  readonly errorLines: readonly string[];
  /** The last lines of the output, stdout and stderr interleaved. */
  readonly tail: string;
  /** All output up to 1 MiB (the check's verdict and fallback warnings are read from it). */
  readonly output: string;
}

const ERROR_LINE =
  /(^|\s|:)(fatal error|error)( TS\d+)?:|^gyp ERR! (?!(cwd|node -v|node-gyp -v|System|command|not ok)\b)|^npm (ERR!|error) /i;
const MAX_ERROR_LINES = 12;
const TAIL_CHARS = 4000;
const OUTPUT_CAP = 1 << 20;
const GRACE_MS = 2000;

/** Runs the step to its end (exit, abort or deadline); never throws. */
export async function runStep(req: StepRequest): Promise<StepOutcome> {
  const started = performance.now();
  const errorLines: string[] = [];
  let output = '';
  let tail = '';
  let partial = '';
  const onData =
    (stream: 'stdout' | 'stderr') =>
    (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      try {
        req.onOutput?.(text, stream);
      } catch {
        // A listener's failure (a closed log) must not become an uncaught exception in a stream handler.
      }
      if (output.length < OUTPUT_CAP) output += text.slice(0, OUTPUT_CAP - output.length);
      tail = (tail + text).slice(-TAIL_CHARS);
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines)
        if (errorLines.length < MAX_ERROR_LINES && ERROR_LINE.test(line)) errorLines.push(line.trimEnd());
    };
  if (req.signal?.aborted)
    return { code: null, ms: 0, cancelled: true, timedOut: false, errorLines, tail, output };
  const box = req.sandbox ? sandboxed(req.cmd, req.args, req.cwd, req.env, req.sandbox) : undefined;
  const proc = spawnGroup(box?.cmd ?? req.cmd, box?.args ?? req.args, {
    cwd: req.cwd,
    env: box?.env ?? req.env,
  });
  proc.child.stdout?.on('data', onData('stdout'));
  proc.child.stderr?.on('data', onData('stderr'));
  let cancelled = false;
  let timedOut = false;
  let stopping: Promise<void> | undefined;
  const stop = (why: 'cancel' | 'timeout'): void => {
    if (stopping || proc.pid === undefined) return;
    if (why === 'cancel') cancelled = true;
    else timedOut = true;
    stopping = proc.stop(GRACE_MS);
  };
  const onAbort = (): void => {
    stop('cancel');
  };
  req.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(
    () => {
      stop('timeout');
    },
    Math.max(0, req.deadline - performance.now()),
  );
  const exit = await proc.exited;
  clearTimeout(timer);
  req.signal?.removeEventListener('abort', onAbort);
  if (stopping) await stopping;
  // The leader exited but may have left processes behind (a make job, a compiler, a daemon): nothing outlives the step.
  await proc.settle();
  box?.dispose();
  if (partial && errorLines.length < MAX_ERROR_LINES && ERROR_LINE.test(partial))
    errorLines.push(partial.trimEnd());
  return {
    code: exit.code,
    ms: performance.now() - started,
    cancelled,
    timedOut,
    spawnError: exit.spawnError,
    errorLines,
    tail,
    output,
  };
}
