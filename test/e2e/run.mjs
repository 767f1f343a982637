#!/usr/bin/env node
// The e2e suite: Hotloop as users install it — from its VSIX alone — in a real VS Code (code-server
// 4.100.3 = VS Code 1.100.3, or --code-server latest) driven by Debian's Chromium through playwright-core.
// One run (test/e2e/README.md has the details):
//   1. setup (idempotent: apt chromium/libkrb5-dev/ripgrep/strace, code-server into ~/.cache/hotloop-e2e/)
//   2. production build; the VSIX packaged in a build folder that is deleted again; the scratch holds
//      the VSIX, the harness extension (the in-host suite, mocha bundled) and copies of examples/
//   3. two code-servers under strace, each with a fresh profile and the VSIX installed: A (workspace
//      trust off), B (trust on, folder untrusted)
//   4. in-host mocha suite (test/e2e/suite/*.e2e.ts) in A (trusted) and in B (`@untrusted` tests);
//      the UI suite (lib/uiSuite.mjs) in A, which also records the start-up figures
//   5. the file-access check over both traces (lib/fileAccess.mjs)
//   6. prints `ok`/`not ok` lines and `# pass N` / `# fail N`; exits 1 on any failure
// Always cleans up (process groups killed on success, failure, SIGINT, SIGTERM, after 900 s; a watchdog kills them
// if this process dies). On failure, screenshots and logs go to test/e2e/out/ (git-ignored).
//
//   node test/e2e/run.mjs [--grep <regexp>] [--update-docs] [--keep] [--code-server <x.y.z|latest>] [--smoke]
//     --grep         only tests whose title matches (in-host and UI)
//     --update-docs  copy the editor and walkthrough screenshots to docs/ (the README's pictures)
//     --keep         keep the scratch folder (printed) for inspection
//     --code-server  the code-server version to test in (default 4.100.3; env HOTLOOP_E2E_CODE_SERVER)
//     --smoke        only the smoke subset (SMOKE below), as suite e2e-latest of npm test runs it
//   HOTLOOP_E2E_WORKSPACE=<dir>  the workspace to copy instead of examples/
//   HOTLOOP_E2E_TRACE=0          no strace (the file-access checks skip)
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { startCodeServer, scratchEnv } from './lib/codeServer.mjs';
import { checkTrace, describeViolations } from './lib/fileAccess.mjs';
import {
  buildHarness,
  missingReadmeImages,
  missingReadmeImagesInVsix,
  snapshotExtension,
} from './lib/snapshot.mjs';
import { runUiSuite } from './lib/uiSuite.mjs';
import { launchChromium, runInHostSuite } from './lib/workbench.mjs';
import { CODE_SERVER_VERSION, setup } from './setup.mjs';

const { values: opts } = parseArgs({
  options: {
    grep: { type: 'string' },
    'update-docs': { type: 'boolean' },
    keep: { type: 'boolean' },
    'code-server': { type: 'string' },
    smoke: { type: 'boolean' },
  },
});
const root = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
const outDir = join(root, 'test', 'e2e', 'out');
const TOTAL_TIMEOUT_MS = Number(process.env.HOTLOOP_E2E_TIMEOUT_S ?? 900) * 1000;
const SUITE_TIMEOUT_MS = 360_000;
/**
 * `--smoke` (the pass against the newest code-server): the extension installs from the VSIX, activates,
 * registers its commands, shows lenses in the API and in the editor, and touches nothing outside.
 */
const SMOKE =
  '^(vsix|file access|Activation|File access check|Code lenses|ui: (the workbench|opening|no request))';
const NPM_CACHE = process.env.npm_config_cache ?? join(homedir(), '.npm');
const canary = join(root, 'package.json');
/** The in-host test that reads `canary` on purpose (suite/fileAccess.e2e.ts). */
const CANARY_TEST = /deliberate read of the checkout/;

/** @type {{ name: string, state: 'passed'|'failed'|'skipped', ms: number, error?: string }[]} */
const results = [];
const timings = {};
const servers = [];
const pages = []; // { label, page, consoleLines }
let browser;
let scratch;
/** The code-server under test (setup.mjs hostFor()). */
let codeServer;
const started = Date.now();

const secs = (t) => ((Date.now() - t) / 1000).toFixed(1);
const log = (msg) => console.log(`[e2e ${secs(started).padStart(5)} s] ${msg}`);

async function timed(name, fn) {
  const t = Date.now();
  try {
    return await fn();
  } finally {
    timings[name] = Number(secs(t));
  }
}

/** Records one UI check; `skip(why)` inside marks it skipped. Honours --grep. */
async function check(name, fn) {
  if (opts.grep && !new RegExp(opts.grep).test(name)) return;
  const t = Date.now();
  const SKIP = Symbol('skip');
  let why = '';
  try {
    await fn((reason) => {
      why = reason;
      throw SKIP;
    });
    results.push({ name, state: 'passed', ms: Date.now() - t });
  } catch (e) {
    if (e === SKIP) results.push({ name: `${name} (skipped: ${why})`, state: 'skipped', ms: 0 });
    else {
      results.push({
        name,
        state: 'failed',
        ms: Date.now() - t,
        error: e instanceof Error ? e.message : String(e),
      });
      const ui = pages.find((p) => p.label === 'ui');
      const file = `ui-failed-${results.length}.png`;
      await ui?.page
        .screenshot({ path: join(outDir, file), timeout: 10_000 })
        .then(() => (results.at(-1).error += `\n(screenshot: test/e2e/out/${file})`))
        .catch(() => undefined);
    }
  }
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  if (r.status !== 0) {
    throw new Error(
      `${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal}):\n${r.stdout ?? ''}${r.stderr ?? ''}`,
    );
  }
  return `${r.stdout ?? ''}${r.stderr ?? ''}`;
}

/** Adds an in-host run's tests to the results (and a failure when the run itself went wrong). */
function recordInHost(label, run) {
  const tests = run.results?.tests ?? [];
  for (const t of tests) {
    if (opts.grep && !new RegExp(opts.grep).test(t.title)) continue;
    results.push({ name: `in-host (${label}): ${t.title}`, state: t.state, ms: t.ms, error: t.error });
  }
  const failed = tests.filter((t) => t.state === 'failed').length;
  let problem;
  if (run.exitCode === undefined)
    problem = `no exit code from the workbench within ${SUITE_TIMEOUT_MS / 1000} s`;
  else if (run.results?.loadError) problem = `the suite did not load:\n${run.results.loadError}`;
  else if (!run.results) problem = `exit code ${run.exitCode} but no results file (did run() start?)`;
  else if ((run.exitCode !== 0) !== failed > 0)
    problem = `exit code ${run.exitCode} with ${failed} failed test(s)`;
  // With --grep a window may have nothing that matches (e.g. no @untrusted test): not a failure then.
  else if (tests.length === 0 && !opts.grep) problem = 'no test ran';
  if (problem)
    results.push({
      name: `in-host (${label}): the suite ran and reported back`,
      state: 'failed',
      ms: 0,
      error: problem,
    });
}

async function saveArtefacts() {
  mkdirSync(outDir, { recursive: true });
  for (const { label, page, consoleLines } of pages) {
    writeFileSync(join(outDir, `${label}.console.log`), consoleLines.join('\n'));
    try {
      if (!page.isClosed()) await page.screenshot({ path: join(outDir, `${label}.png`), timeout: 10_000 });
    } catch {
      // a page that cannot draw any more: its console log is all we get
    }
  }
  for (const s of servers) {
    if (existsSync(s.logFile)) copyFileSync(s.logFile, join(outDir, `${s.label}.code-server.log`));
    // VS Code's own logs: extension host, the Hotloop output channel (exthost*/output_logging_*), renderer.
    const logs = join(s.userDataDir, 'logs');
    if (existsSync(logs)) cpSync(logs, join(outDir, `${s.label}.logs`), { recursive: true });
  }
}

let cleaningUp;
function cleanup() {
  cleaningUp ??= (async () => {
    await browser?.close().catch(() => undefined);
    await Promise.all(servers.map((s) => s.stop()));
    if (scratch && !opts.keep) rmSync(scratch, { recursive: true, force: true });
    else if (scratch) log(`scratch kept: ${scratch}`);
  })();
  return cleaningUp;
}

async function abort(reason, code) {
  console.error(`\n[e2e] ${reason}: saving artefacts to test/e2e/out/ and stopping code-server / Chromium`);
  await saveArtefacts().catch(() => undefined);
  await cleanup();
  console.log('# pass 0');
  console.log('# fail 1');
  process.exit(code);
}

process.on('SIGINT', () => void abort('interrupted (SIGINT)', 130));
process.on('SIGTERM', () => void abort('terminated (SIGTERM)', 143));
// Last resort if something exits without cleanup(): kill the groups synchronously.
process.on('exit', () => servers.forEach((s) => s.killNow()));
setTimeout(() => void abort(`timed out after ${TOTAL_TIMEOUT_MS / 1000} s`, 1), TOTAL_TIMEOUT_MS).unref();

/**
 * Stops both servers (strace writes its last lines as they exit), then judges what their extension
 * hosts and everything those started touched (lib/fileAccess.mjs).
 */
async function checkFileAccess({ wsTrusted, wsUntrusted, wsUi, harness, instA, instB }) {
  await Promise.all(servers.map((s) => s.stop()));
  const mainCheckout = dirname(realpathSync(join(root, 'node_modules')));
  const hostDir = codeServer.dir;
  const system = ['/usr', '/lib', '/lib64', '/bin', '/sbin', '/etc', '/proc', '/sys', '/dev', '/run'];
  const canaryRead = results.some((r) => r.state === 'passed' && CANARY_TEST.test(r.name));
  for (const [label, server, inst, folders] of [
    ['trusted', servers[0], instA, [wsTrusted, wsUi]],
    ['untrusted', servers[1], instB, [wsUntrusted]],
  ]) {
    await check(
      `file access (${label}): the extension host touched nothing outside its install folder, the workspace and its scratch HOME/TMP`,
      async (skip) => {
        if (!server.traceFile) skip('HOTLOOP_E2E_TRACE=0: code-server ran without strace');
        const { hosts, accesses, violations } = checkTrace({
          traceFile: server.traceFile,
          initialCwd: dirname(server.userDataDir),
          allowed: [
            inst.installed,
            ...folders,
            dirname(server.userDataDir),
            harness,
            join(scratch, `${label}.results.json`),
            hostDir,
            NPM_CACHE,
            ...system,
          ],
          forbidden: [root, mainCheckout],
        });
        if (hosts === 0)
          throw new Error(`no extension host in ${server.traceFile}: did strace follow code-server?`);
        const rest = violations.filter((v) => v.path !== canary);
        if (label === 'trusted' && canaryRead && rest.length === violations.length)
          throw new Error(
            `the deliberate read of ${canary} is not among the ${accesses} accesses seen: the check is blind`,
          );
        if (rest.length > 0)
          throw new Error(
            `${hosts} extension host(s), ${accesses} accesses; outside the allowed folders:\n${describeViolations(rest).join('\n')}`,
          );
      },
    );
  }
}

async function main() {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const version = opts['code-server'] ?? process.env.HOTLOOP_E2E_CODE_SERVER ?? CODE_SERVER_VERSION;
  const { host } = await timed('setup', () => setup({ version }));
  codeServer = host;
  if (opts.smoke) opts.grep ??= SMOKE;
  // What ships: the production build (minified), as `npm run package` makes it.
  await timed('build', () => run('node', ['esbuild.mjs', '--production']));
  // The VSIX is packaged in a build folder of its own, which is gone before any window opens: the
  // test scratch holds the VSIX, the harness and copies of examples/, and no checkout.
  const buildDir = mkdtempSync(join(tmpdir(), 'hotloop-e2e-build-'));
  scratch = mkdtempSync(join(tmpdir(), 'hotloop-e2e-'));
  log(`setup ${timings.setup} s, build ${timings.build} s; scratch ${scratch}`);
  const vsix = join(scratch, 'hotloop.vsix');
  await timed('vsix', () => {
    const extDir = snapshotExtension(root, join(buildDir, 'extension'));
    run(
      join(root, 'node_modules', '.bin', 'vsce'),
      ['package', '--no-dependencies', '--no-rewrite-relative-links', '-o', join(buildDir, 'hotloop.vsix')],
      { cwd: extDir },
    );
    copyFileSync(join(buildDir, 'hotloop.vsix'), vsix);
    rmSync(buildDir, { recursive: true, force: true });
  });
  await check('vsix: every image the README shows is inside the VSIX', async () => {
    const missing = missingReadmeImagesInVsix(vsix);
    if (missing.length > 0) throw new Error(`the VSIX lacks README images: ${missing.join(', ')}`);
  });
  // The in-host suite rides on a harness extension of its own (mocha bundled in, no node_modules).
  const harness = buildHarness(root, join(scratch, 'harness'));
  const install = (dir) => {
    const extensions = join(dir, 'extensions');
    const out = run(codeServer.bin, ['--extensions-dir', extensions, '--install-extension', vsix], {
      env: { ...scratchEnv(dir), ...codeServer.env },
      cwd: dir,
    });
    if (!/successfully installed/i.test(out))
      throw new Error(`code-server --install-extension said:\n${out}`);
    const installed = readdirSync(extensions).filter(
      (d) => statSync(join(extensions, d)).isDirectory() && /hotloop/i.test(d),
    );
    if (installed.length !== 1)
      throw new Error(`expected one installed hotloop folder in ${extensions}: ${installed}`);
    return { extensions, installed: join(extensions, installed[0]) };
  };
  const [instA, instB] = await timed('install', () => [
    install(join(scratch, 'a')),
    install(join(scratch, 'b')),
  ]);
  // The details page of the installed extension shows the README: its pictures must be there too.
  await check('vsix: the installed extension has every README image (its details page)', async () => {
    const missing = missingReadmeImages(instA.installed);
    if (missing.length > 0) throw new Error(`the installed extension lacks: ${missing.join(', ')}`);
  });

  // Scratch copies of examples/ without any node_modules: tests change settings and write files; the
  // repo stays clean, and nothing resolves from the dev tree.
  const ws = (name) => {
    const dir = join(scratch, name);
    const examples = process.env.HOTLOOP_E2E_WORKSPACE ?? join(root, 'examples');
    if (existsSync(examples))
      cpSync(examples, dir, { recursive: true, filter: (src) => !src.includes('node_modules') });
    mkdirSync(dir, { recursive: true });
    return dir;
  };
  const [wsTrusted, wsUntrusted, wsUi] = [ws('ws-trusted'), ws('ws-untrusted'), ws('ws-ui')];

  const suiteFile = join(harness, 'out', 'test', 'suite', 'index.js');
  const suiteEnv = (label, installed) => ({
    HOTLOOP_E2E_RESULTS: join(scratch, `${label}.results.json`),
    HOTLOOP_E2E_EXTENSION_PATH: installed,
    HOTLOOP_E2E_TRUST: label,
    // A file of the checkout that one in-host test reads on purpose: the file-access check must see it.
    HOTLOOP_E2E_CANARY: canary,
    // Scaffold builds run `npm install`: the machine's npm cache keeps them offline after the first run.
    npm_config_cache: NPM_CACHE,
    npm_config_prefer_offline: 'true',
    HOTLOOP_E2E_VSCODE: codeServer.version.replace(/^4\./, '1.'), // code-server 4.x.y is VS Code 1.x.y
    ...codeServer.env,
    ...(opts.grep ? { HOTLOOP_E2E_GREP: opts.grep } : {}),
  });
  // code-server starts in its scratch folder, as a user's would start somewhere unrelated to our checkout.
  const serverOpts = (label, inst, trust) => ({
    bin: codeServer.bin,
    dir: join(scratch, label === 'trusted' ? 'a' : 'b'),
    trust,
    extensionsDir: inst.extensions,
    env: suiteEnv(label, inst.installed),
    // HOTLOOP_E2E_TRACE=0: no strace (start-up timings without its overhead); the file-access checks skip.
    traceFile: process.env.HOTLOOP_E2E_TRACE === '0' ? undefined : join(scratch, `${label}.trace`),
    cwd: join(scratch, label === 'trusted' ? 'a' : 'b'),
  });
  const [a, b] = await timed('servers', () =>
    Promise.all([
      startCodeServer(serverOpts('trusted', instA, false)),
      startCodeServer(serverOpts('untrusted', instB, true)),
    ]),
  );
  a.label = 'trusted';
  b.label = 'untrusted';
  servers.push(a, b);
  log(
    `vsix ${timings.vsix} s; code-server up on :${a.port} (trusted) and :${b.port} (untrusted) in ${timings.servers} s`,
  );

  browser = await timed('chromium', () => launchChromium(scratchEnv(join(scratch, 'chromium'))));

  // VS Code gives the remote extension host 60 s to report ready; on a starved machine it can miss
  // that before any test ran. Such a window gets one more try (said in the output), nothing else does.
  const HOST_START_TIMEOUT = /remote extension host took longer than 60s/;
  const inHost = (server, label, folder) =>
    timed(`in-host ${label}`, async () => {
      const attempt = () =>
        runInHostSuite(browser, server, {
          label: `in-host-${label}`,
          folder,
          extensionDir: harness,
          suiteFile,
          resultsFile: join(scratch, `${label}.results.json`),
          timeoutMs: SUITE_TIMEOUT_MS,
          onPage: (page, consoleLines) => pages.push({ label: `in-host-${label}`, page, consoleLines }),
        });
      let r = await attempt();
      if (!r.results && r.consoleLines.some((l) => HOST_START_TIMEOUT.test(l))) {
        log(
          `in-host (${label}): the extension host did not start within VS Code's 60 s (machine overloaded?); retrying once`,
        );
        await r.page.close();
        r = await attempt();
        if (!r.results && r.consoleLines.some((l) => HOST_START_TIMEOUT.test(l))) {
          r.results = {
            tests: [],
            loadError:
              'the remote extension host took longer than 60 s to start, twice: the machine is overloaded',
          };
        }
      }
      recordInHost(label, r);
      if (r.exitCode !== 0)
        await r.page.screenshot({ path: join(outDir, `in-host-${label}.png`) }).catch(() => undefined);
      await r.page.close();
    });
  // The two in-host windows at once (separate servers, hosts and workspaces), then the UI window
  // (A, the VSIX-installed extension). All three at once was faster on an idle machine but starved
  // the workbench's extension-host handshake on a loaded one.
  await Promise.all([inHost(a, 'trusted', wsTrusted), inHost(b, 'untrusted', wsUntrusted)]);
  const startup = await timed('ui', () =>
    runUiSuite({
      browser,
      server: a,
      folder: wsUi,
      outDir,
      check,
      onPage: (page, consoleLines) => pages.push({ label: 'ui', page, consoleLines }),
    }),
  );
  if (startup.firstLensMs !== undefined) {
    // Kept for the README's start-up table (measured here, never asserted: tests assert no durations).
    const sizes = Object.fromEntries(
      ['extension.js', 'engine.js'].map((f) => [f, statSync(join(root, 'dist', f)).size]),
    );
    const figures = {
      date: new Date().toISOString(),
      codeServer: codeServer.version,
      loadavg: loadavg().map((l) => Number(l.toFixed(1))),
      vsixBytes: statSync(vsix).size,
      distBytes: sizes,
      ...startup,
    };
    writeFileSync(join(outDir, 'startup.json'), JSON.stringify(figures, null, 2));
    log(`start-up (installed VSIX, UI window): ${JSON.stringify(figures)}`);
  }
  log(
    `windows done: in-host trusted ${timings['in-host trusted']} s, untrusted ${timings['in-host untrusted']} s, UI ${timings.ui} s`,
  );
  await timed('file access', () => checkFileAccess({ wsTrusted, wsUntrusted, wsUi, harness, instA, instB }));
  if (opts['update-docs']) {
    if (!existsSync(join(outDir, 'lenses.png')))
      throw new Error('--update-docs: no lenses.png was taken (did the lens check pass?)');
    mkdirSync(join(root, 'docs'), { recursive: true });
    copyFileSync(join(outDir, 'lenses.png'), join(root, 'docs', 'lenses.png'));
    log('docs/lenses.png updated');
    if (existsSync(join(outDir, 'walkthrough.png'))) {
      copyFileSync(join(outDir, 'walkthrough.png'), join(root, 'docs', 'walkthrough.png'));
      log('docs/walkthrough.png updated');
    }
  }
}

let exitCode = 0;
try {
  await main();
} catch (e) {
  results.push({
    name: 'e2e driver',
    state: 'failed',
    ms: 0,
    error: e instanceof Error ? (e.stack ?? e.message) : String(e),
  });
}
const failed = results.filter((r) => r.state === 'failed');
if (failed.length) {
  await saveArtefacts().catch((e) => console.error(`[e2e] could not save artefacts: ${e}`));
  exitCode = 1;
}
await cleanup();

console.log('');
results.forEach((r, i) => {
  const tag = r.state === 'failed' ? 'not ok' : 'ok';
  console.log(
    `${tag} ${i + 1} - ${r.name}${r.state === 'skipped' ? ' # SKIP' : ''} (${(r.ms / 1000).toFixed(1)} s)`,
  );
  if (r.error)
    console.log(
      r.error
        .split('\n')
        .map((l) => `  # ${l}`)
        .join('\n'),
    );
});
const count = (s) => results.filter((r) => r.state === s).length;
console.log(
  `# e2e timings (s): ${Object.entries(timings)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}, total ${secs(started)}`,
);
if (failed.length) console.log(`# artefacts (screenshots, console and VS Code logs): ${outDir}`);
console.log(`# skip ${count('skipped')}`);
console.log(`# pass ${count('passed')}`);
console.log(`# fail ${count('failed')}`);
process.exit(exitCode || (count('failed') ? 1 : 0));
