// The results page's HTML, shared by the VS Code panel, the HTML report and the webview tests: a strict
// CSP (scripts only with the nonce, styles/fonts only from the bundle's origin, no inline anything).
import type { EmbeddedReport } from './messages.js';

export interface WebviewHtmlOptions {
  /** URI of dist/webview.js as the page can load it. */
  readonly scriptUri: string;
  /** URI of dist/webview.css (codicons and the page's styles). */
  readonly styleUri: string;
  /** The origin allowed for styles, fonts and images (VS Code: `webview.cspSource`). */
  readonly cspSource: string;
  /** A fresh random nonce per page load (`crypto.randomBytes(16).toString('base64')`). */
  readonly nonce: string;
  /** Embedded result data (the static HTML report); read as JSON, never executed. */
  readonly data?: EmbeddedReport;
  readonly title?: string;
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The Content-Security-Policy of the results page. */
export function resultsCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function webviewHtml(o: WebviewHtmlOptions): string {
  // JSON in a non-executed script element; `<` escaped so the data cannot close the element.
  const data =
    o.data === undefined
      ? ''
      : `\n  <script type="application/json" id="hotloop-data" nonce="${o.nonce}">${JSON.stringify(o.data).replace(/</g, '\\u003c')}</script>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${escapeHtml(resultsCsp(o.cspSource, o.nonce))}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" id="vscode-codicon-stylesheet" href="${escapeHtml(o.styleUri)}">
  <title>${escapeHtml(o.title ?? 'Hotloop results')}</title>
</head>
<body>
  <main id="app" aria-live="polite"><p>Loading results…</p></main>${data}
  <script nonce="${o.nonce}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>
`;
}
