// The "Before / after" view of the results webview in headless Chromium (Playwright + Debian's
// chromium): renders a fixture comparison under the production CSP (no violations), the verdict
// sentence, the two charts with their table views, state across a reload, a screenshot per theme
// (test/webview/out/before-after-<theme>.png; dark also docs/before-after-dark.png).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { fixtureComparison } from './beforeAfterFixture.js';
import { fixtureHistory, fixtureResult } from './fixture.js';
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

async function openPage(theme: ThemeName): Promise<{ page: Page; problems: Problems }> {
  const opened = await openWebview(browser, server, theme);
  await opened.page.waitForSelector('body[data-hotloop="empty"]', { state: 'attached' });
  return opened;
}

const post = (page: Page, msg: unknown): Promise<unknown> =>
  page.evaluate(`window.postMessage(${JSON.stringify(msg)}, '*')`);

/** A table's cells as text, ` | ` between cells (the table views are closed <details>, so no innerText). */
const tableText = (page: Page, i: number): Promise<string> =>
  page.evaluate<string>(
    `Array.from(document.querySelectorAll('table.data')[${i}].rows).map((r) => Array.from(r.cells).map((c) => c.textContent).join(' | ')).join('\\n')`,
  );

async function showComparison(page: Page): Promise<void> {
  await post(page, { type: 'comparison', comparison: fixtureComparison() });
  await page.waitForSelector('#ba-verdict', { state: 'attached' });
}

describe('before/after view in headless Chromium', () => {
  before(async () => {
    ensureBundle();
    server = await serveWebview();
    browser = await launchChromium(root);
  });
  after(async () => {
    await browser.close();
    await server.close();
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
    assert.match(
      loops,
      /variance \(src\/stats\.ts:12\) \| loop gone — its function after \| 78 % \| 31 % \| 1435 ms \| 270 ms/,
    );
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
