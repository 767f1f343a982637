// Building a scaffold folder the way its README says (`npm install`, `npm run build`, `npm run
// check`), after checking what the build needs: every failure is a result with a message that says
// what to do — a missing tool, a compiler error (with the compiler's lines), a check that differs,
// no WebGPU adapter — never a throw.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { nullLogger } from '../../logger.js';
import { detectScaffold } from './detect.js';
import { checkPrerequisites, type Toolchain } from './prereq.js';
import { sandboxOffReason } from '../../process/sandbox.js';
import { runStep, type StepOutcome } from './runStep.js';
import type { TargetName } from '../types.js';
import type { BuildFailure, BuildOptions, BuildResult, BuildStep } from './types.js';

const DEFAULT_TIMEOUT_MS = 10 * 60_000;
const TAIL_LINES = 25;

/** Lines of the wrappers' "runs the original JavaScript" warnings (no adapter, addon not loaded). */
const FALLBACK = /^.*hotloop: .*(no WebGPU device|did not load|original JavaScript).*$/m;

/** Lines of node-gyp's and npm's failure epilogue that say nothing about the error. */
const NOISE =
  /^(gyp ERR! (stack +at |System |command |cwd |node -v |node-gyp -v |not ok)|npm error (A complete log|command |path |workspace |location ))/;

/** The message of a failed step: the compiler's error lines first, then the output's last lines. */
export function failureMessage(what: string, out: StepOutcome): string {
  const compiler = out.errorLines.filter((l) => !/^(gyp|npm) /i.test(l));
  const lines = compiler.length ? compiler : out.errorLines;
  const tail = out.tail
    .split('\n')
    .filter((l) => l.trim() && !NOISE.test(l))
    .slice(-TAIL_LINES);
  const parts = [`${what} failed (${out.spawnError ?? `exit code ${String(out.code)}`}).`];
  if (lines.length)
    parts.push(`The ${compiler.length ? 'compiler' : 'build'} said:`, ...lines.map((l) => `  ${l}`));
  if (tail.length) parts.push('Last lines of the output:', ...tail.map((l) => `  ${l}`));
  return parts.join('\n');
}

/** The sandbox of a build's steps (the scaffold folder and its install folder writable), logged once. */
function sandboxFor(
  dir: string,
  installDir: string | undefined,
  opts: BuildOptions,
  env: NodeJS.ProcessEnv,
): { writable?: readonly string[] } {
  const log = opts.log ?? nullLogger;
  const off = opts.sandbox === false ? 'turned off by the caller' : sandboxOffReason(env);
  if (off) {
    log.info(`build: steps run without the OS sandbox (${off})`);
    return {};
  }
  const writable = installDir && installDir !== dir ? [dir, installDir] : [dir];
  log.info(`build: steps run in the OS sandbox (bubblewrap): only ${writable.join(', ')} writable`);
  return { writable };
}

const limit = (ms: number): string => (ms < 10_000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`);

interface Run {
  readonly dir: string;
  readonly tools: Toolchain;
  readonly env: NodeJS.ProcessEnv;
  readonly deadline: number;
  readonly opts: BuildOptions;
  readonly steps: BuildStep[];
  /** The folders a sandboxed step may write; undefined when steps run without the sandbox. */
  readonly writable?: readonly string[];
}

async function npm(run: Run, args: readonly string[]): Promise<StepOutcome> {
  const log = run.opts.log ?? nullLogger;
  log.info(`build: npm ${args.join(' ')} (in ${run.dir})`);
  run.opts.onStep?.({ cmd: 'npm', args });
  const out = await runStep({
    cmd: run.tools.npm.cmd,
    args: [...run.tools.npm.args, ...args],
    cwd: run.dir,
    env: run.env,
    signal: run.opts.signal,
    deadline: run.deadline,
    onOutput: run.opts.onOutput,
    ...(run.writable ? { sandbox: { writable: run.writable } } : {}),
  });
  run.steps.push({ cmd: 'npm', args, code: out.code, ms: Math.round(out.ms) });
  log.info(
    `build: npm ${args.join(' ')} → ${out.cancelled ? 'cancelled' : out.timedOut ? 'timed out' : `exit ${String(out.code)}`} in ${(out.ms / 1000).toFixed(1)} s`,
  );
  return out;
}

/** Failure kind of a step that did not exit 0, or undefined when it did. */
function stepFailure(out: StepOutcome, kind: BuildFailure): BuildFailure | undefined {
  if (out.cancelled) return 'cancelled';
  if (out.timedOut) return 'timeout';
  return out.code === 0 ? undefined : kind;
}

type Verdict = Pick<BuildResult, 'ok' | 'checkPassed' | 'failure' | 'reason' | 'fallback'> & {
  readonly warning?: string;
};

/** What the output of `npm run check` says: matches, differs, or ran the original JavaScript. */
function judgeCheck(kind: TargetName, check: StepOutcome): Verdict {
  const fallback = FALLBACK.exec(check.output)?.[0].trim();
  if (/DIFFERS from the original/.test(check.output)) {
    return {
      ok: false,
      checkPassed: false,
      failure: 'check',
      fallback,
      reason: failureMessage(
        `npm run check (the ${kind} build gives other results than the original on the recorded inputs)`,
        check,
      ),
    };
  }
  if (check.code !== 0 || !/matches the original/.test(check.output)) {
    const what =
      check.code === 0 ? 'npm run check printed no "matches the original" line, so it' : 'npm run check';
    return { ok: false, checkPassed: false, failure: 'check', fallback, reason: failureMessage(what, check) };
  }
  if (!fallback) return { ok: true, checkPassed: true };
  if (kind !== 'gpu') {
    return {
      ok: false,
      checkPassed: true,
      failure: 'check',
      fallback,
      reason: `The ${kind} build did not load, so the check compared the original JavaScript with itself: ${fallback}`,
    };
  }
  return {
    ok: true,
    checkPassed: true,
    fallback,
    warning: `No WebGPU adapter here, so the check ran the original JavaScript (the wrapper's fallback) — the shaders were not exercised; they run where WebGPU has an adapter (a GPU, or Mesa's llvmpipe). ${fallback}`,
  };
}

/**
 * Builds the scaffold folder `dir` (native, gpu, wasm or worker) with its README's commands and runs
 * its generated check. Resolves with what happened; rejects only on a programming error.
 */
export async function buildScaffold(dir: string, opts: BuildOptions = {}): Promise<BuildResult> {
  const log = opts.log ?? nullLogger;
  const folder = detectScaffold(dir);
  if (!folder.ok)
    return {
      ok: false,
      kind: undefined,
      dir,
      steps: [],
      checkPassed: undefined,
      warnings: [],
      failure: 'not-a-scaffold',
      reason: folder.reason,
    };
  const env = opts.env ?? process.env;
  const pre = checkPrerequisites(folder, env, opts.install ?? true);
  const steps: BuildStep[] = [];
  const warnings = [...pre.warnings];
  const result = (r: Pick<BuildResult, 'ok' | 'checkPassed'> & Partial<BuildResult>): BuildResult => {
    if (r.reason && r.failure === 'cancelled') log.info(`build: ${r.reason}`);
    else if (r.reason) log.error(`build: ${r.reason}`);
    const { ok, ...rest } = r;
    return { ok, kind: folder.kind, dir: folder.dir, steps, warnings, ...rest };
  };
  if (pre.problems.length || !pre.tools) {
    return result({
      ok: false,
      checkPassed: undefined,
      failure: 'prerequisites',
      reason: `Cannot build ${folder.dir}: ${pre.problems.join(' ')}`,
    });
  }
  for (const w of warnings) log.warn(`build: ${w}`);
  const warn = (w: string): void => {
    warnings.push(w);
    log.warn(`build: ${w}`);
  };
  const run: Run = {
    dir: folder.dir,
    tools: pre.tools,
    // No network for node-gyp: it compiles against the headers of the Node that runs the check.
    env: {
      ...env,
      ...(pre.tools.nodedir ? { npm_config_nodedir: pre.tools.nodedir } : {}),
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      npm_config_audit: 'false',
    },
    deadline: performance.now() + (opts.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    opts,
    steps,
    ...sandboxFor(folder.dir, folder.installDir, opts, env),
  };
  const failed = (out: StepOutcome, kind: BuildFailure, what: string): BuildResult | undefined => {
    const failure = stepFailure(out, kind);
    if (!failure) return undefined;
    const reason =
      failure === 'cancelled'
        ? `${what} was cancelled; nothing is left running.`
        : failure === 'timeout'
          ? `${what} ran past the build's time limit (${limit(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS)}) and was stopped.`
          : failureMessage(`${what} in ${folder.dir}`, out);
    return result({ ok: false, checkPassed: undefined, failure, reason });
  };

  if (pre.unresolved.length) {
    const out = await npm(folder.installDir ? { ...run, dir: folder.installDir } : run, ['install']);
    const f = failed(
      out,
      'install',
      `npm install (it needs the npm registry; missing: ${pre.unresolved.join(', ')})`,
    );
    if (f) return f;
  } else {
    steps.push({
      cmd: 'npm',
      args: ['install'],
      code: null,
      ms: 0,
      skipped: pre.resolvedFrom ? `dependencies already resolve from ${pre.resolvedFrom}` : 'no dependencies',
    });
  }
  // Native folders scaffolded before the script was renamed `prebuildify` have a `prebuild` script, which is
  // also npm's pre-hook of `build`: it would compile the addon a second time on every build. Skip the hooks then.
  const prebuildify = /\bprebuildify\b/.test(folder.scripts.prebuild ?? '');
  if (prebuildify)
    log.info(
      'build: skipping npm\'s "prebuild" hook (prebuildify; run `npm run prebuild` for per-platform binaries)',
    );
  const built = failed(
    await npm(run, ['run', 'build', ...(prebuildify ? ['--ignore-scripts'] : [])]),
    'build',
    'npm run build',
  );
  if (built) return built;
  if (folder.kind === 'native' && !existsSync(join(folder.dir, 'build', 'Release', 'kernel.node'))) {
    return result({
      ok: false,
      checkPassed: undefined,
      failure: 'build',
      reason: `npm run build succeeded but ${join(folder.dir, 'build/Release/kernel.node')} is missing: check the "build" script in package.json (or re-scaffold).`,
    });
  }
  if (folder.cuda) {
    if (pre.tools.nvcc) {
      const f = failed(
        await npm(run, ['run', 'build:cuda']),
        'build',
        'npm run build:cuda (CUDA addon, nvcc)',
      );
      if (f) return f;
    } else
      steps.push({
        cmd: 'npm',
        args: ['run', 'build:cuda'],
        code: null,
        ms: 0,
        skipped: 'nvcc is not on PATH',
      });
  }
  if (typeof folder.scripts.check !== 'string') {
    warn('package.json has no "check" script: the build was not compared with the original.');
    return result({ ok: true, checkPassed: undefined });
  }
  const check = await npm(run, ['run', 'check']);
  if (check.cancelled || check.timedOut) return failed(check, 'check', 'npm run check')!;
  const { warning, ...verdict } = judgeCheck(folder.kind, check);
  if (warning) warn(warning);
  if (!verdict.ok) return result(verdict);
  const fellBack = verdict.fallback;
  if (opts.sanitize && folder.kind === 'native' && typeof folder.scripts.sanitize === 'string') {
    const f = failed(await npm(run, ['run', 'sanitize']), 'check', 'npm run sanitize (ASan + UBSan)');
    if (f) return { ...f, checkPassed: true };
  }
  log.info(
    `build: ${folder.dir} built; the check matches the original${fellBack ? ' (original JavaScript: no WebGPU adapter)' : ''}`,
  );
  return result({ ok: true, checkPassed: true, fallback: fellBack });
}
