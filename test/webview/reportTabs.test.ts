// The static HTML report of `hotloop optimize` (reportHtml: the webview bundle inlined as data: URLs,
// every loop's result embedded) opened from a file in headless Chromium (Playwright + Debian's
// chromium): a tab per loop with its winner, switching by click and keyboard shows each loop's result,
// no CSP violations; a one-loop report has no tabs. Screenshot: test/webview/out/report-tabs.png.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, type Page } from 'playwright-core';
import type { BenchResult } from '../../src/core/bench/types.js';
import { reportHtml } from '../../src/core/optimize/report.js';
import { fixtureResult } from './fixture.js';
import { launchChromium } from './chromium.js';
import { CSP_LISTENER, ensureBundle, out, root, watchedPage, type Problems } from './harness.js';

let browser: Browser;
let dir = '';

/** Three loops, hottest first: native wins `variance`, wasm wins `sum`, nothing beats the original in `scale`. */
function fixtureLoops(): BenchResult[] {
  const base = fixtureResult();
  return [
    base,
    {
      ...base,
      id: '2026-11-25T10-00-01-000Z-sum',
      kernel: 'sum',
      winner: 'wasm',
      source: { file: '/work/examples/sum.ts', line: 3 },
      sweep: undefined,
    },
    {
      ...base,
      id: '2026-11-25T10-00-02-000Z-scale',
      kernel: 'scale',
      winner: 'original',
      source: { file: '/work/examples/scale.ts', line: 7 },
      sweep: undefined,
    },
  ];
}

async function openReport(
  name: string,
  results: readonly BenchResult[],
): Promise<{ page: Page; problems: Problems }> {
  const file = join(dir, `${name}.html`);
  writeFileSync(file, reportHtml(results));
  const { page, problems } = await watchedPage(browser);
  await page.addInitScript(CSP_LISTENER);
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('body[data-hotloop="rendered"]', { state: 'attached' });
  return { page, problems };
}

const selectedTab = (page: Page): Promise<string | null> =>
  page.locator('[role="tab"][aria-selected="true"]').getAttribute('data-kernel');
const heading = async (page: Page): Promise<string> =>
  (await page.locator('#loop-panel h1').innerText()).trim();

describe('static optimize report with several loops in headless Chromium', () => {
  before(async () => {
    ensureBundle();
    dir = mkdtempSync(join(tmpdir(), 'hotloop-report-tabs-'));
    browser = await launchChromium(root);
  });
  after(async () => {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a tab per loop with its winner; click and arrow keys switch the rendered result; strict CSP holds', async () => {
    const { page, problems } = await openReport('three', fixtureLoops());
    const tabs = page.locator('[role="tablist"] [role="tab"]');
    assert.equal(await tabs.count(), 3);
    const labels = await tabs.allInnerTexts();
    assert.match(labels[0]!, /variance[\s\S]*stats\.ts:12[\s\S]*native kernel 6\.\d\d×/);
    assert.match(labels[1]!, /sum[\s\S]*sum\.ts:3[\s\S]*wasm \(SIMD\) 2\.\d\d×/);
    assert.match(labels[2]!, /scale[\s\S]*original \(number\[\]\) \(nothing faster\)/);

    // The hottest loop first, fully rendered (charts drawn).
    assert.equal(await selectedTab(page), 'variance');
    assert.match(await heading(page), /^variance/);
    assert.match(await page.locator('#winner').innerText(), /Winner: native kernel — 6\.\d\d× \(95 % CI/);
    assert.equal(
      await page.locator('#loop-panel canvas').count(),
      3,
      'time, breakdown, sweep charts (no history in a report)',
    );
    assert.equal(await page.locator('vscode-button').count(), 0, 'no actions in a static report');

    // A click switches to the second loop: its own winner, one result on screen, charts redrawn.
    await tabs.nth(1).click();
    assert.equal(await selectedTab(page), 'sum');
    assert.match(await heading(page), /^sum/);
    assert.match(await page.locator('#winner').innerText(), /Winner: wasm \(SIMD\) — 2\.\d\d×/);
    assert.equal(await page.locator('#winner').count(), 1);
    assert.equal(await page.locator('#loop-panel canvas').count(), 2, 'time and breakdown charts (no sweep)');
    const drawn = await page.evaluate<number>(
      "document.querySelector('#loop-panel canvas').toDataURL().length",
    );
    assert.ok(drawn > 2000, `canvas has content after switching (${drawn} bytes)`);
    assert.equal(await page.locator('#loop-panel').getAttribute('aria-labelledby'), 'loop-tab-1');

    // Keyboard: ArrowRight to the third loop (focus moves with it), End/Home wrap to the ends.
    await page.keyboard.press('ArrowRight');
    assert.equal(await selectedTab(page), 'scale');
    assert.match(
      await page.locator('#winner').innerText(),
      /Winner: original \(number\[\]\) — nothing beats the reference significantly/,
    );
    assert.equal(
      await page.evaluate<string | null>("document.activeElement.getAttribute('data-kernel')"),
      'scale',
    );
    await page.keyboard.press('Home');
    assert.equal(await selectedTab(page), 'variance');
    assert.match(await page.locator('#winner').innerText(), /Winner: native kernel/);
    await page.keyboard.press('ArrowLeft');
    assert.equal(await selectedTab(page), 'scale');

    await page.evaluate('document.fonts.ready.then(() => true)');
    await tabs.nth(0).click();
    const file = join(out, 'report-tabs.png');
    await page.screenshot({ path: file, fullPage: true });
    assert.ok(readFileSync(file).length > 10_000);
    assert.deepEqual(await page.evaluate<string[]>('window.__csp'), []);
    assert.deepEqual(problems, { csp: [], errors: [] });
    await page.close();
  });

  test('a one-loop report renders its result without tabs', async () => {
    const { page, problems } = await openReport('one', [fixtureResult()]);
    assert.equal(await page.locator('[role="tab"]').count(), 0);
    assert.match(await page.locator('#winner').innerText(), /Winner: native kernel/);
    assert.deepEqual(await page.evaluate<string[]>('window.__csp'), []);
    assert.deepEqual(problems, { csp: [], errors: [] });
    await page.close();
  });
});
