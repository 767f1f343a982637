// The results webview bundle in headless Chromium (Playwright + Debian's chromium): a stub of
// acquireVsCodeApi, a fixture result, the production CSP (no violations), state across a reload,
// the actions' messages, and a screenshot per theme (test/webview/out/, dark also docs/webview-dark.png).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { fixtureHistory, fixtureResult, fixtureTalkResult } from './fixture.js';
import { THEMES, type ThemeName } from './themes.js';
import { launchChromium } from './chromium.js';
import {
  ensureBundle,
  openWebview,
  out,
  root,
  serveWebview,
  type Problems,
  type WebviewServer,
} from './harness.js';

let server: WebviewServer;
let browser: Browser;

const openPage = (theme: ThemeName): Promise<{ page: Page; problems: Problems }> =>
  openWebview(browser, server, theme);

// Page-side code as strings: the root tsconfig has no DOM types (and tsx would inject helpers into functions).
const posted = (page: Page): Promise<{ type: string }[]> =>
  page.evaluate<{ type: string }[]>('window.__posted');
const show = (page: Page, result: unknown, history: unknown): Promise<unknown> =>
  page.evaluate(`window.postMessage(${JSON.stringify({ type: 'show', result, history })}, '*')`);

describe('results webview in headless Chromium', () => {
  before(async () => {
    ensureBundle();
    server = await serveWebview();
    browser = await launchChromium(root);
  });
  after(async () => {
    await browser.close();
    await server.close();
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
    assert.deepEqual(
      msgs.slice(1).map((m) => m.type),
      ['rerun', 'export', 'openSource'],
    );

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
