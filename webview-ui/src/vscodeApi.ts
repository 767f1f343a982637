// The typed VS Code webview API (absent when the page is the static HTML report).
import type { FromWebview, WebviewState } from '../../src/protocol/messages.js';

export interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): WebviewState | undefined;
  setState(state: WebviewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The API once per page (VS Code allows one acquire), or undefined outside VS Code. */
export function vscodeApi(): VsCodeApi | undefined {
  return typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;
}
