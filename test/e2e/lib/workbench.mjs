// Debian's Chromium through playwright-core, opening code-server's web workbench, with no DNS to
// anywhere but loopback. Also: running the in-host mocha suite through the workbench `payload`
// parameter (extensionDevelopmentPath + extensionTestsPath) and getting its exit code back.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

/** Launches headless Chromium; its profile and caches stay under `env` (a scratchEnv()). */
export async function launchChromium(env) {
  const executablePath = process.env.CHROME || execSync('command -v chromium', { encoding: 'utf8' }).trim();
  return chromium.launch({
    executablePath,
    headless: true,
    env,
    // The driver handles signals itself so it can stop code-server too; Playwright kills Chromium on exit.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
    ],
  });
}

/** A page that records its console and any request that would leave the machine. */
export async function newPage(browser, label) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const consoleLines = [];
  page.on('console', (m) => consoleLines.push(`[${label}] ${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`[${label}] pageerror: ${e.message}`));
  // Outside requests cannot resolve (--host-resolver-rules); record any attempt (no interception:
  // routing every request through Playwright would slow the workbench load down).
  const blocked = [];
  page.on('request', (r) => {
    // Webview resources (`https://*.vscode-resource.vscode-cdn.net/…`) are a virtual host that the
    // webview's service worker answers from the server; they never reach the network.
    if (
      /^(https?|wss?):\/\/(?!127\.0\.0\.1[:/]|localhost[:/])/.test(r.url()) &&
      !/^https:\/\/[^/]+\.vscode-resource\.vscode-cdn\.net\//.test(r.url())
    )
      blocked.push(r.url());
  });
  // VS Code >= ~1.13x honours `payload` only with the smoke-test driver enabled; harmless on 1.100.
  await page.addInitScript(() => {
    new MutationObserver((_, obs) => {
      const el = document.getElementById('vscode-workbench-web-configuration');
      const raw = el?.getAttribute('data-settings');
      if (!el || !raw) return;
      const cfg = JSON.parse(raw);
      cfg.developmentOptions = { ...cfg.developmentOptions, enableSmokeTestDriver: true };
      el.setAttribute('data-settings', JSON.stringify(cfg));
      obs.disconnect();
    }).observe(document, { childList: true, subtree: true });
  });
  return { page, consoleLines, blocked };
}

/** The workbench URL for `folder`, optionally with a `payload` (absolute paths on this machine). */
export function workbenchUrl(server, folder, payload) {
  const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  let url = `${server.url}/?folder=${encodeURIComponent(folder)}`;
  if (payload) {
    const entries = Object.entries(payload).map(([k, v]) => [k, remote(v)]);
    url += `&payload=${encodeURIComponent(JSON.stringify(entries))}`;
  }
  return url;
}

/**
 * Opens a window with the extension folder as development extension and the in-host suite as
 * extensionTestsPath; resolves with { exitCode, results, page, consoleLines } (exitCode undefined on timeout).
 */
export async function runInHostSuite(
  browser,
  server,
  { label, folder, extensionDir, suiteFile, resultsFile, timeoutMs, onPage },
) {
  const { page, consoleLines, blocked } = await newPage(browser, label);
  onPage?.(page, consoleLines);
  let exit;
  const exited = new Promise((resolve) => (exit = resolve));
  await page.exposeFunction('codeAutomationExit', (code) => exit(code));
  const url = workbenchUrl(server, folder, {
    extensionDevelopmentPath: extensionDir,
    extensionTestsPath: suiteFile,
  });
  let timer;
  const timedOut = new Promise((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)));
  // A slow (loaded) machine may miss the load event; the exit code is what counts.
  page
    .goto(url, { waitUntil: 'commit', timeout: timeoutMs })
    .catch((e) => consoleLines.push(`[${label}] goto: ${e.message}`));
  const exitCode = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  const results = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : undefined;
  return { exitCode, results, page, consoleLines, blocked };
}
