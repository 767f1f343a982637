// The UI suite: what a user sees in the workbench, driven by Playwright. It runs against the
// extension INSTALLED FROM THE VSIX (no development path), so it also proves the package works.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { newPage, workbenchUrl } from './workbench.mjs';

const LENS_FILE = 'src/sensorStats.ts';

/** Types into the quick input and picks the row that has `rowText`. */
async function quickPick(page, opener, query, rowText) {
  await page.keyboard.press(opener);
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.type(query, { delay: 10 });
  await page
    .locator('.quick-input-list .monaco-list-row', { hasText: rowText })
    .first()
    .waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
}

/** Runs a palette command by its full title ("Hotloop: Analyze file"). */
function runCommand(page, title) {
  return quickPick(page, 'F1', title, title.replace(/^[^:]+: /, ''));
}

/**
 * @param {{ browser: import('playwright-core').Browser, server: { url: string, port: number },
 *   folder: string, outDir: string, check: (name: string, fn: (skip: (why: string) => never) => Promise<void>) => Promise<void>,
 *   onPage?: (page: import('playwright-core').Page, consoleLines: string[]) => void }} o
 */
export async function runUiSuite({ browser, server, folder, outDir, check, onPage }) {
  /** Start-up figures of this window (the extension installed from the VSIX): see startupFigures(). */
  const startup = {};
  const { page, consoleLines, blocked } = await newPage(browser, 'ui');
  onPage?.(page, consoleLines);
  const haveExamples = existsSync(join(folder, LENS_FILE));
  const needExamples = () => {
    if (!haveExamples)
      throw new Error(`${LENS_FILE} is not in the workspace (examples/ renamed it? update lib/uiSuite.mjs)`);
  };

  await check('ui: the workbench opens the examples folder (extension installed from the VSIX)', async () => {
    await page.goto(workbenchUrl(server, folder), { waitUntil: 'domcontentloaded', timeout: 120_000 });
    await page.locator('.explorer-folders-view').waitFor({ timeout: 120_000 });
    if (haveExamples)
      await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 30_000 });
  });

  await check(`ui: opening ${LENS_FILE} shows a Hotloop lens in the editor`, async (skip) => {
    needExamples(skip);
    // First lens: from Enter on the file in quick open to the lens in the editor (engine load included).
    await quickPick(page, 'Control+P', 'sensorStats.ts', 'sensorStats.ts');
    const t0 = Date.now();
    const lens = page.locator('.monaco-editor .codelens-decoration', { hasText: 'Hotloop:' }).first();
    await lens.waitFor({ timeout: 240_000 }); // the first lens loads the engine (TypeScript inside)
    startup.firstLensMs = Date.now() - t0;
    const text = await page.locator('.monaco-editor .codelens-decoration').allInnerTexts();
    if (!text.some((t) => / · translatable/.test(t)))
      throw new Error(`no "· translatable" lens in the editor; lenses: ${JSON.stringify(text)}`);
    await page.waitForTimeout(300); // let the lens row finish its layout before the picture
    await page.screenshot({ path: join(outDir, 'lenses.png') });
  });

  await check('ui: F1 "Hotloop: Analyze file" shows "N loops, M translatable"', async (skip) => {
    needExamples(skip);
    await runCommand(page, 'Hotloop: Analyze file');
    const toast = page.locator('.notification-toast', {
      hasText: /Hotloop: .*sensorStats\.ts: \d+ loops?, \d+ translatable/,
    });
    await toast.first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(outDir, 'analyze-file.png') });
    await page.keyboard.press('Escape');
  });

  await check('ui: the Hot loops view lists the files and loops of the workspace', async (skip) => {
    needExamples(skip);
    await runCommand(page, 'Hotloop: Show hot loops');
    // Header text is upper-cased by CSS only; hasText with a string ignores case.
    const pane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Hot loops' }) });
    // The list is virtualised: only the rows in view exist, so look for any file row and loop row
    // (examples/advisors/… sorts before src/…).
    await pane
      .locator('.monaco-list-row', { hasText: /[\w/]+\.ts.*\d+ loops?, \d+ translatable/ })
      .first()
      .waitFor({ timeout: 90_000 });
    await pane
      .locator('.monaco-list-row', { hasText: /(\(\)|top level) line \d+.*translatable/ })
      .first()
      .waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(outDir, 'hot-loops-view.png') });
  });

  await check('ui: F1 "Hotloop: Show log" shows the Hotloop output channel', async () => {
    await runCommand(page, 'Hotloop: Show log');
    // The Output view shows the 'Hotloop' channel, with log lines in it ([info] …).
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('.part.panel select')].some(
          (s) => s.selectedOptions[0]?.textContent === 'Hotloop',
        ),
      undefined,
      { timeout: 30_000 },
    );
    // Editors render spaces as U+00A0, which \s matches.
    await page
      .locator('.part.panel .monaco-editor .view-lines', { hasText: /\[info\]\s/ })
      .first()
      .waitFor({ timeout: 30_000 });
  });

  await check(
    'ui: the "Benchmark…" lens runs a benchmark and the results webview names the winner',
    async (skip) => {
      needExamples(skip);
      await quickPick(page, 'Control+P', 'sensorStats.ts', 'sensorStats.ts');
      // sumArray (number[]): the kernel library and JS on Float64Array beat it clearly, so there is a winner.
      await page.keyboard.press('Control+G');
      await page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: 10_000 });
      await page.keyboard.type('44', { delay: 10 });
      await page.keyboard.press('Enter');
      const lens = page
        .locator('.monaco-editor .codelens-decoration a[title^="Benchmark sumArray:"]')
        .first();
      // A click can land on a lens the provider is just replacing (the advice lens refreshes when the
      // calibration arrives): VS Code then logs "Actual command not found" and nothing runs. The panel opens
      // at once when the command runs, so click again until it does.
      const webviewsBefore = await page.locator('iframe.webview').count();
      for (let attempt = 1; ; attempt++) {
        await lens.waitFor({ timeout: 120_000 });
        await lens.click();
        try {
          await page.waitForFunction(
            (n) => document.querySelectorAll('iframe.webview').length > n,
            webviewsBefore,
            { timeout: 15_000 },
          );
          break;
        } catch (err) {
          if (attempt >= 4)
            throw new Error(
              `the Benchmark… lens opened no results panel after ${attempt} clicks: ${err instanceof Error ? err.message : String(err)}`,
            );
        }
      }
      // The results panel: VS Code's webview iframe, then the page's own frame.
      const frame = page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame');
      const winner = frame.locator('#winner');
      await winner.waitFor({ timeout: 240_000 }); // engine load + one child per variant, short samples
      const text = (await winner.innerText()).replace(/\s+/g, ' ').trim();
      const m = /Winner: (.+?) — ([\d.]+)× \(95 % CI ([\d.]+)–([\d.]+)×\)/.exec(text);
      if (!m) throw new Error(`the winner line does not name a variant and a speedup: "${text}"`);
      if (/original/i.test(m[1]) || !(Number(m[2]) > 1) || !(Number(m[3]) > 1))
        throw new Error(`expected a variant significantly faster than the original: "${text}"`);
      await page.waitForTimeout(500); // let the charts finish drawing
      await page.screenshot({ path: join(outDir, 'webview-winner.png') });
    },
  );

  await check(
    'ui: the "Get started with Hotloop" walkthrough renders with its steps and pictures',
    async () => {
      await runCommand(page, 'Welcome: Open Walkthrough...');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await page.keyboard.type('Hotloop', { delay: 10 });
      await page
        .locator('.quick-input-list .monaco-list-row', { hasText: 'Get started with Hotloop' })
        .first()
        .waitFor({ timeout: 30_000 });
      await page.keyboard.press('Enter');
      const walk = page.locator('.gettingStartedContainer');
      await walk.locator('text=Get started with Hotloop').first().waitFor({ timeout: 60_000 });
      for (const step of ['Read the lenses', 'Profile a real run', 'Scaffold a rewrite'])
        await walk.locator('.getting-started-step', { hasText: step }).first().waitFor({ timeout: 10_000 });
      // The selected step's picture is loaded from the installed extension (the VSIX ships docs/*.png).
      await page.waitForFunction(
        () =>
          [...document.querySelectorAll('.gettingStartedContainer .getting-started-media img')].some(
            (i) => i.complete && i.naturalWidth > 0,
          ),
        undefined,
        { timeout: 30_000 },
      );
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(outDir, 'walkthrough.png') });
    },
  );

  await check('ui: no request left the machine', async () => {
    if (blocked.length) throw new Error(`requests to outside hosts: ${blocked.slice(0, 5).join(', ')}`);
  });
  return { ...startupFigures(server.userDataDir), ...startup };
}

/**
 * What Hotloop's own log of the newest extension host (this window's) says about start-up:
 * `activated in N ms` (the activate() call) and `engine loaded … in N ms` (the first require of
 * dist/engine.js, TypeScript compiler included). Undefined fields when a line is missing.
 */
export function startupFigures(userDataDir) {
  const logs = [];
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'Hotloop.log') logs.push({ p, t: statSync(p).mtimeMs });
    }
  };
  walk(join(userDataDir, 'logs'));
  const newest = logs.sort((a, b) => b.t - a.t)[0];
  if (!newest) return {};
  const text = readFileSync(newest.p, 'utf8');
  const num = (re) => (re.exec(text) ? Number(re.exec(text)[1]) : undefined);
  return {
    activationMs: num(/activated in ([\d.]+) ms/),
    engineLoadMs: num(/engine loaded from .* in ([\d.]+) ms/),
  };
}
