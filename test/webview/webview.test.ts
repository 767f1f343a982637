// The results webview bundle in headless Chromium (Playwright + Debian's chromium): a stub of
// acquireVsCodeApi, a fixture result, the production CSP (no violations), state across a reload,
// the actions' messages, and a screenshot per theme (test/webview/out/, dark also docs/webview-dark.png).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { webviewHtml } from '../../src/core/bench/webviewHtml.js';
import { fixtureHistory, fixtureResult, fixtureTalkResult } from './fixture.js';
import { THEMES, themeCss, type ThemeName } from './themes.js';
import { launchChromium } from './chromium.js';

const root = join(__dirname, '..', '..');
const out = join(__dirname, 'out');
let server: Server;
let origin = '';
let browser: Browser;

function serve(): Promise<void> {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin || 'http://127.0.0.1');
    const theme = (url.searchParams.get('theme') ?? 'dark') as ThemeName;
    if (url.pathname === '/') {
      const nonce = randomBytes(16).toString('base64');
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(webviewHtml({ scriptUri: `${origin}/webview.js`, styleUri: `${origin}/webview.css?theme=${theme}`, cspSource: origin, nonce }));
    } else if (url.pathname === '/webview.css') {
      // VS Code injects its theme variables into the page; here they come first in the stylesheet.
      res.writeHead(200, { 'content-type': 'text/css' });
      res.end(themeCss(theme) + readFileSync(join(root, 'dist', 'webview.css'), 'utf8'));
    } else if (/^\/[\w.-]+\.(js|ttf|map)$/.test(url.pathname) && existsSync(join(root, 'dist', url.pathname))) {
      const type = url.pathname.endsWith('.js') ? 'text/javascript' : url.pathname.endsWith('.ttf') ? 'font/ttf' : 'application/json';
      res.writeHead(200, { 'content-type': type });
      res.end(readFileSync(join(root, 'dist', url.pathname)));
    } else if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    resolve();
  }));
}

/** The acquireVsCodeApi stub (state in sessionStorage survives reloads, as VS Code's does) + CSP listener + theme class. */
const STUB = `function (bodyClass) {
  const posted = [];
  window.__posted = posted;
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => posted.push(m),
    getState: () => JSON.parse(sessionStorage.getItem('vscode-state') || 'null') || undefined,
    setState: (s) => sessionStorage.setItem('vscode-state', JSON.stringify(s)),
  });
  new MutationObserver((_, obs) => {
    if (!document.body) return;
    document.body.classList.add(...bodyClass.split(' '));
    obs.disconnect();
  }).observe(document, { childList: true, subtree: true });
}`;

interface Problems {
  csp: string[];
  errors: string[];
}

/** A page with the stub, in a theme. */
async function openPage(theme: ThemeName): Promise<{ page: Page; problems: Problems }> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  const problems: Problems = { csp: [], errors: [] };
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) problems.csp.push(m.text());
    else if (m.type() === 'error') problems.errors.push(m.text());
  });
  page.on('pageerror', (e) => problems.errors.push(e.message));
  // A string, not a function: tsx (esbuild keepNames) would inject helpers the page does not have.
  await page.addInitScript(`(${STUB})(${JSON.stringify(THEMES[theme].bodyClass)})`);
  await page.goto(`${origin}/?theme=${theme}`);
  return { page, problems };
}

// Page-side code as strings: the root tsconfig has no DOM types (and tsx would inject helpers into functions).
const posted = (page: Page): Promise<{ type: string }[]> => page.evaluate<{ type: string }[]>('window.__posted');
const show = (page: Page, result: unknown, history: unknown): Promise<unknown> => page.evaluate(`window.postMessage(${JSON.stringify({ type: 'show', result, history })}, '*')`);

describe('results webview in headless Chromium', () => {
  before(async () => {
    if (!existsSync(join(root, 'dist', 'webview.js')) || !existsSync(join(root, 'dist', 'webview.css'))) {
      assert.equal(spawnSync('node', ['esbuild.mjs'], { cwd: root, stdio: 'inherit' }).status, 0, 'build failed');
    }
    mkdirSync(out, { recursive: true });
    await serve();
    browser = await launchChromium(root);
  });
  after(async () => {
    await browser.close();
    await new Promise((r) => server.close(r));
  });

  test('renders a fixture result under the strict CSP, keeps its state across a reload, posts actions', async () => {
    const { page, problems } = await openPage('dark');
    await page.waitForSelector('body[data-hotloop="empty"]', { state: 'attached' });
    assert.deepEqual(await posted(page), [{ type: 'ready' }]);
    const result = fixtureResult();
    await show(page, result, fixtureHistory());
    await page.waitForSelector('body[data-hotloop="rendered"]', { state: 'attached' });
    assert.match(await page.locator('#winner').innerText(), /Winner: native kernel — 6\.\d\d× \(95 % CI/);
    assert.match(await page.locator('.badge.wrong').innerText(), /WRONG/);
    assert.equal(await page.locator('canvas').count(), 4, 'time, breakdown, sweep, history charts');
    assert.equal(await page.locator('table.data').count(), 4, 'a table view per chart');
    assert.match(await page.locator('.crossovers').innerText(), /native kernel: faster from n = /);
    // Charts really drew something (non-blank canvas).
    const drawn = await page.evaluate<number>("document.querySelector('canvas').toDataURL().length");
    assert.ok(drawn > 2000, `canvas has content (${drawn} bytes)`);

    await page.locator('vscode-button[data-action="rerun"]').click();
    await page.locator('vscode-button[data-action="export"]').first().click();
    await page.locator('vscode-button[data-action="openSource"]').click();
    const msgs = await posted(page);
    assert.deepEqual(msgs.slice(1).map((m) => m.type), ['rerun', 'export', 'openSource']);

    await page.reload();
    await page.waitForSelector('body[data-hotloop="rendered"]', { state: 'attached' });
    assert.match(await page.locator('#winner').innerText(), /Winner: native kernel/);
    assert.deepEqual(await page.evaluate<string[]>('window.__csp'), []);
    assert.deepEqual(problems, { csp: [], errors: [] });
    await page.close();
  });

  test('renders the talk table with its lesson', async () => {
    const { page, problems } = await openPage('light');
    await show(page, fixtureTalkResult(), []);
    await page.waitForSelector('body[data-hotloop="rendered"]', { state: 'attached' });
    const text = await page.locator('#talk-h + p + table').innerText();
    assert.match(text, /native on number\[\]/);
    assert.match(text, /sum\s+590 ms\s+114,000 ms \(0\.0052×\)\s+41 ms \(14\.4×\)/);
    assert.match(await page.locator('.lesson').innerText(), /Lesson: Crossing a boundary/);
    assert.deepEqual(problems, { csp: [], errors: [] });
    await page.close();
  });

  for (const theme of Object.keys(THEMES) as ThemeName[]) {
    test(`screenshot in the ${theme} theme`, async () => {
      const { page, problems } = await openPage(theme);
      await show(page, fixtureResult(), fixtureHistory());
      await page.waitForSelector('body[data-hotloop="rendered"]', { state: 'attached' });
      await page.evaluate('document.fonts.ready.then(() => true)');
      const file = join(out, `webview-${theme}.png`);
      await page.screenshot({ path: file, fullPage: true });
      assert.ok(readFileSync(file).length > 10_000);
      if (theme === 'dark') {
        mkdirSync(join(root, 'docs'), { recursive: true });
        copyFileSync(file, join(root, 'docs', 'webview-dark.png'));
      }
      assert.deepEqual(problems, { csp: [], errors: [] });
      await page.close();
    });
  }
});
