// The "Before / after" view of the results webview in headless Chromium (Playwright + Debian's
// chromium): renders a fixture comparison under the production CSP (no violations), the verdict
// sentence, the two charts with their table views, state across a reload, a screenshot per theme
// (test/webview/out/before-after-<theme>.png; dark also docs/before-after-dark.png).
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
import { fixtureComparison } from './beforeAfterFixture.js';
import { fixtureHistory, fixtureResult } from './fixture.js';
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
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(webviewHtml({ scriptUri: `${origin}/webview.js`, styleUri: `${origin}/webview.css?theme=${theme}`, cspSource: origin, nonce: randomBytes(16).toString('base64') }));
    } else if (url.pathname === '/webview.css') {
      res.writeHead(200, { 'content-type': 'text/css' });
      res.end(themeCss(theme) + readFileSync(join(root, 'dist', 'webview.css'), 'utf8'));
    } else if (/^\/[\w.-]+\.(js|ttf|map)$/.test(url.pathname) && existsSync(join(root, 'dist', url.pathname))) {
      const type = url.pathname.endsWith('.js') ? 'text/javascript' : url.pathname.endsWith('.ttf') ? 'font/ttf' : 'application/json';
      res.writeHead(200, { 'content-type': type });
      res.end(readFileSync(join(root, 'dist', url.pathname)));
    } else {
      res.writeHead(url.pathname === '/favicon.ico' ? 204 : 404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    resolve();
  }));
}

/** The acquireVsCodeApi stub (state in sessionStorage survives reloads) + CSP listener + theme class. */
const STUB = `function (bodyClass) {
  window.__posted = [];
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => window.__posted.push(m),
    getState: () => JSON.parse(sessionStorage.getItem('vscode-state') || 'null') || undefined,
    setState: (s) => sessionStorage.setItem('vscode-state', JSON.stringify(s)),
  });
  new MutationObserver((_, obs) => {
    if (!document.body) return;
    document.body.classList.add(...bodyClass.split(' '));
    obs.disconnect();
  }).observe(document, { childList: true, subtree: true });
}`;

async function openPage(theme: ThemeName): Promise<{ page: Page; problems: { csp: string[]; errors: string[] } }> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  const problems = { csp: [] as string[], errors: [] as string[] };
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) problems.csp.push(m.text());
    else if (m.type() === 'error') problems.errors.push(m.text());
  });
  page.on('pageerror', (e) => problems.errors.push(e.message));
  await page.addInitScript(`(${STUB})(${JSON.stringify(THEMES[theme].bodyClass)})`);
  await page.goto(`${origin}/?theme=${theme}`);
  await page.waitForSelector('body[data-hotloop="empty"]', { state: 'attached' });
  return { page, problems };
}

const post = (page: Page, msg: unknown): Promise<unknown> => page.evaluate(`window.postMessage(${JSON.stringify(msg)}, '*')`);

/** A table's cells as text, ` | ` between cells (the table views are closed <details>, so no innerText). */
const tableText = (page: Page, i: number): Promise<string> =>
  page.evaluate<string>(`Array.from(document.querySelectorAll('table.data')[${i}].rows).map((r) => Array.from(r.cells).map((c) => c.textContent).join(' | ')).join('\\n')`);

async function showComparison(page: Page): Promise<void> {
  await post(page, { type: 'comparison', comparison: fixtureComparison() });
  await page.waitForSelector('#ba-verdict', { state: 'attached' });
}

describe('before/after view in headless Chromium', () => {
  before(async () => {
    if (!existsSync(join(root, 'dist', 'webview.js'))) {
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

  test('renders the comparison under the strict CSP, survives a reload, gives way to a benchmark result', async () => {
    const { page, problems } = await openPage('dark');
    await showComparison(page);
    assert.equal((await page.locator('#ba-verdict').innerText()).trim(), '2.11× faster, 95 % CI 2.05–2.18×');
    assert.equal(await page.locator('#ba-verdict.faster').count(), 1);
    assert.equal(await page.locator('canvas').count(), 2, 'wall-time and loop-share charts');
    assert.equal(await page.locator('table.data').count(), 2, 'a table view per chart');
    const walls = await tableText(page, 0);
    assert.match(walls, /before \| 1840 ms \| 1801 ms – 1871 ms \|/);
    assert.match(walls, /after \| 870 ms \| 855 ms – 888 ms \|/);
    const loops = await tableText(page, 1);
    assert.match(loops, /variance \(src\/stats\.ts:12\) \| loop gone — its function after \| 78 % \| 31 % \| 1435 ms \| 270 ms/);
    assert.match(loops, /toTyped \(src\/stats\.ts:61\) \| new \| — \| 6\.0 %/);
    const drawn = await page.evaluate<number>("document.querySelector('canvas').toDataURL().length");
    assert.ok(drawn > 2000, `canvas has content (${drawn} bytes)`);

    await page.reload();
    await page.waitForSelector('#ba-verdict', { state: 'attached' });
    assert.match(await page.locator('#ba-verdict').innerText(), /2\.11× faster/);

    // A benchmark result replaces the comparison (and its charts) cleanly.
    await post(page, { type: 'show', result: fixtureResult(), history: fixtureHistory() });
    await page.waitForSelector('#winner', { state: 'attached' });
    assert.equal(await page.locator('#ba-verdict').count(), 0);
    assert.deepEqual(await page.evaluate<string[]>('window.__csp'), []);
    assert.deepEqual(problems, { csp: [], errors: [] });
    await page.close();
  });

  for (const theme of Object.keys(THEMES) as ThemeName[]) {
    test(`screenshot in the ${theme} theme`, async () => {
      const { page, problems } = await openPage(theme);
      await showComparison(page);
      await page.evaluate('document.fonts.ready.then(() => true)');
      const file = join(out, `before-after-${theme}.png`);
      await page.screenshot({ path: file, fullPage: true });
      assert.ok(readFileSync(file).length > 10_000);
      if (theme === 'dark') {
        mkdirSync(join(root, 'docs'), { recursive: true });
        copyFileSync(file, join(root, 'docs', 'before-after-dark.png'));
      }
      assert.deepEqual(problems, { csp: [], errors: [] });
      await page.close();
    });
  }
});
