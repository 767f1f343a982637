// What the webview tests share: the bundle built when missing, a local server that serves the
// production webview HTML (strict CSP, a fresh nonce per page) with a theme's variables, the
// acquireVsCodeApi stub, and pages that collect CSP violations and errors.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { webviewHtml } from '../../src/protocol/webviewHtml.js';
import { THEMES, themeCss, type ThemeName } from './themes.js';

export const root = join(__dirname, '..', '..');
/** Screenshots and other artefacts of the webview tests. */
export const out = join(__dirname, 'out');

/** Builds dist/ when the webview bundle is missing; makes the artefact folder. */
export function ensureBundle(): void {
  if (!existsSync(join(root, 'dist', 'webview.js')) || !existsSync(join(root, 'dist', 'webview.css'))) {
    assert.equal(
      spawnSync('node', ['esbuild.mjs'], { cwd: root, stdio: 'inherit' }).status,
      0,
      'build failed',
    );
  }
  mkdirSync(out, { recursive: true });
}

export interface WebviewServer {
  readonly origin: string;
  close(): Promise<void>;
}

/** Serves `/` (the webview HTML), `/webview.css` (theme variables first, as VS Code injects them) and dist's js/ttf/map. */
export function serveWebview(): Promise<WebviewServer> {
  let origin = '';
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin || 'http://127.0.0.1');
    const theme = (url.searchParams.get('theme') ?? 'dark') as ThemeName;
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(
        webviewHtml({
          scriptUri: `${origin}/webview.js`,
          styleUri: `${origin}/webview.css?theme=${theme}`,
          cspSource: origin,
          nonce: randomBytes(16).toString('base64'),
        }),
      );
    } else if (url.pathname === '/webview.css') {
      res.writeHead(200, { 'content-type': 'text/css' });
      res.end(themeCss(theme) + readFileSync(join(root, 'dist', 'webview.css'), 'utf8'));
    } else if (
      /^\/[\w.-]+\.(js|ttf|map)$/.test(url.pathname) &&
      existsSync(join(root, 'dist', url.pathname))
    ) {
      const type = url.pathname.endsWith('.js')
        ? 'text/javascript'
        : url.pathname.endsWith('.ttf')
          ? 'font/ttf'
          : 'application/json';
      res.writeHead(200, { 'content-type': type });
      res.end(readFileSync(join(root, 'dist', url.pathname)));
    } else {
      res.writeHead(url.pathname === '/favicon.ico' ? 204 : 404).end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve({
        origin,
        close: () =>
          new Promise((r) => {
            server.close(() => {
              r();
            });
          }),
      });
    }),
  );
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

/** The CSP listener alone (the static report has no acquireVsCodeApi). */
export const CSP_LISTENER = `window.__csp = []; document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));`;

export interface Problems {
  csp: string[];
  errors: string[];
}

/** A new 1000×800 page whose CSP reports and errors (console and uncaught) land in `problems`. */
export async function watchedPage(browser: Browser): Promise<{ page: Page; problems: Problems }> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  const problems: Problems = { csp: [], errors: [] };
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) problems.csp.push(m.text());
    else if (m.type() === 'error') problems.errors.push(m.text());
  });
  page.on('pageerror', (e) => problems.errors.push(e.message));
  return { page, problems };
}

/** The served webview in a theme, with the stub. */
export async function openWebview(
  browser: Browser,
  server: WebviewServer,
  theme: ThemeName,
): Promise<{ page: Page; problems: Problems }> {
  const { page, problems } = await watchedPage(browser);
  // A string, not a function: tsx (esbuild keepNames) would inject helpers the page does not have.
  await page.addInitScript(`(${STUB})(${JSON.stringify(THEMES[theme].bodyClass)})`);
  await page.goto(`${server.origin}/?theme=${theme}`);
  return { page, problems };
}
