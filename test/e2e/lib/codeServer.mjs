// One code-server (VS Code 1.100.3 server) on a free loopback port, in its own process group,
// with scratch HOME/XDG/TMPDIR, no telemetry, no gallery. A bash watchdog owns the group: if the
// driver dies without cleaning up (even SIGKILL), the watchdog's stdin closes and it kills the group.
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, readdirSync, readFileSync, writeFileSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { straceArgs } from './fileAccess.mjs';
import { setTimeout as sleep } from 'node:timers/promises';

/** A free TCP port on 127.0.0.1 (asked from the kernel, then released). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

/** Environment that keeps every tool's state inside `dir`. */
export function scratchEnv(dir) {
  const env = { ...process.env, HOME: join(dir, 'home'), TMPDIR: join(dir, 'tmp') };
  for (const k of [
    'XDG_CONFIG_HOME',
    'XDG_DATA_HOME',
    'XDG_CACHE_HOME',
    'XDG_STATE_HOME',
    'XDG_RUNTIME_DIR',
  ]) {
    env[k] = join(dir, 'xdg', k.slice(4).toLowerCase());
  }
  for (const k of [
    'HOME',
    'TMPDIR',
    'XDG_CONFIG_HOME',
    'XDG_DATA_HOME',
    'XDG_CACHE_HOME',
    'XDG_STATE_HOME',
    'XDG_RUNTIME_DIR',
  ]) {
    mkdirSync(env[k], { recursive: true, mode: 0o700 });
  }
  return env;
}

/** User settings that keep code-server quiet and offline (see the vscode-host recipe). */
function userSettings(trust) {
  return {
    'telemetry.telemetryLevel': 'off',
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'update.mode': 'none',
    'git.enabled': false,
    'chat.commandCenter.enabled': false,
    'security.workspace.trust.enabled': trust,
    // Untrusted window: no modal "do you trust the authors?" on start; the folder stays untrusted.
    'security.workspace.trust.startupPrompt': 'never',
  };
}

/** Pids of the processes in process group `pgid` (Linux /proc). */
export function groupMembers(pgid) {
  const pids = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid pgrp ... ; comm may contain spaces and parentheses
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid) pids.push(Number(name));
    } catch {
      // the process went away while we looked
    }
  }
  return pids;
}

/**
 * Starts code-server and waits for /healthz. Returns { port, url, userDataDir, logFile, stop() }.
 * With `traceFile`, it runs under strace (lib/fileAccess.mjs) writing its file accesses there.
 * @param {{ bin: string, dir: string, trust: boolean, env?: Record<string,string>, extensionsDir: string,
 *   traceFile?: string, cwd?: string }} o
 */
export async function startCodeServer(o) {
  mkdirSync(o.dir, { recursive: true });
  const env = { ...scratchEnv(o.dir), ...o.env, EXTENSIONS_GALLERY: '{}', ...(o.cwd ? { PWD: o.cwd } : {}) };
  const userDataDir = join(o.dir, 'user-data');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(userSettings(o.trust), null, 2));
  const logFile = join(o.dir, 'code-server.log');

  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const config = join(o.dir, 'config.yaml');
    writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
    const args = [
      '--config',
      config,
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      o.extensionsDir,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      ...(o.trust ? [] : ['--disable-workspace-trust']),
    ];
    const log = openSync(logFile, 'a');
    // The watchdog: start code-server, ignore TERM itself, wait for stdin EOF, then end the group.
    const script = '"$@" & trap "" TERM; read -r _; kill -TERM 0; sleep 3; kill -KILL 0';
    const command = o.traceFile ? ['strace', ...straceArgs(o.traceFile), o.bin] : [o.bin];
    const child = spawn('bash', ['-c', script, 'code-server-watchdog', ...command, ...args], {
      detached: true,
      cwd: o.cwd,
      stdio: ['pipe', log, log],
      env,
    });
    closeSync(log);
    const pgid = /** @type {number} */ (child.pid);
    let exited = false;
    child.on('exit', () => (exited = true));

    const server = {
      port,
      pgid,
      url: `http://127.0.0.1:${port}`,
      userDataDir,
      logFile,
      traceFile: o.traceFile,
      /** Kills the whole group: TERM, then KILL after 5 s. Idempotent. */
      async stop() {
        const others = () => groupMembers(pgid).filter((p) => p !== pgid);
        try {
          process.kill(-pgid, 'SIGTERM');
        } catch {
          return;
        }
        for (let i = 0; i < 50 && others().length > 0; i++) await sleep(100);
        server.killNow();
      },
      /** Synchronous last resort (process 'exit' handler). */
      killNow() {
        try {
          process.kill(-pgid, 'SIGKILL');
        } catch {
          // already gone
        }
      },
    };

    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !exited) {
      try {
        const res = await fetch(`${server.url}/healthz`);
        if (res.ok) return server;
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
    lastError = new Error(
      `code-server did not answer ${server.url}/healthz within 30 s (${exited ? 'it exited' : 'still running'}); log: ${logFile}`,
    );
    await server.stop();
  }
  throw lastError;
}
