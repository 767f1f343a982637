import * as vscode from 'vscode';

/** Thin activation: build the services, register everything into the context's subscriptions. */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Hotloop', { log: true });
  context.subscriptions.push(log);
  log.info('Hotloop activated');
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
