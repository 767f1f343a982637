// An OS sandbox for the workspace code Hotloop runs on the user's behalf (scaffold build scripts,
// `binding.gyp` expansions, the generated check): on Linux with bubblewrap (`bwrap`), the step sees the
// whole file system read-only except the folders it builds in, a private temp folder and npm's cache,
// and runs in its own PID namespace, so nothing it starts — not even a `setsid` daemon that cleared its
// environment — outlives it. Elsewhere, or without bwrap, steps run as before (process group + run
// tag) and the build log says the sandbox is off. `HOTLOOP_SANDBOX=off` turns it off.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface SandboxRequest {
  /** Folders the step may write (created when missing); everything else is read-only. */
  readonly writable: readonly string[];
}

/** The command to spawn instead, and what to clean up after the step. */
export interface Sandboxed {
  readonly cmd: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** Removes the step's private temp folder. */
  dispose(): void;
}

let probed: string | false | undefined;

function findBwrap(env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const p = join(dir, 'bwrap');
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

/** Why the sandbox is off here, or undefined when steps run in it. Probed once per process. */
export function sandboxOffReason(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.HOTLOOP_SANDBOX === 'off') return 'HOTLOOP_SANDBOX=off';
  if (process.platform !== 'linux') return `no sandbox on ${process.platform} (bubblewrap is Linux only)`;
  if (probed === undefined) {
    const bwrap = findBwrap(env);
    if (!bwrap) probed = false;
    else {
      const r = spawnSync(bwrap, [...baseArgs(), '--', 'true'], { stdio: 'ignore', timeout: 10_000 });
      probed = r.status === 0 ? bwrap : false;
    }
  }
  return probed ? undefined : 'bubblewrap (`bwrap`) is not installed or cannot create namespaces here';
}

// The host's /proc stays visible (read-only, as all of /): tools that read /proc/self see their real pid.
function baseArgs(): string[] {
  return ['--ro-bind', '/', '/', '--dev', '/dev', '--unshare-pid', '--die-with-parent'];
}

/** `cmd args` wrapped in the sandbox, or undefined when it is off (see `sandboxOffReason`). */
export function sandboxed(
  cmd: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  req: SandboxRequest,
): Sandboxed | undefined {
  if (sandboxOffReason(env) !== undefined || !probed) return undefined;
  const tmp = mkdtempSync(join(tmpdir(), 'hotloop-step-'));
  const npmCache = env.npm_config_cache ?? join(homedir(), '.npm');
  const binds: string[] = [];
  for (const dir of [...req.writable, npmCache, tmp]) {
    try {
      mkdirSync(dir, { recursive: true });
      const real = realpathSync(dir);
      binds.push('--bind', real, real);
    } catch {
      // A folder that cannot be made stays read-only: the step says what it could not write.
    }
  }
  return {
    cmd: probed,
    args: [...baseArgs(), ...binds, '--chdir', cwd, '--', cmd, ...args],
    env: { ...env, TMPDIR: tmp, TMP: tmp, TEMP: tmp },
    dispose: () => {
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}
