// Registers the loop lenses and hovers for the analysed languages.
import * as vscode from 'vscode';
import { documentSelector } from '../documentAnalysis.js';
import type { Services } from '../services.js';
import { LoopHoverProvider } from './hoverProvider.js';
import { LoopLensProvider } from './lensProvider.js';

export function registerLenses(services: Services, context: vscode.ExtensionContext): LoopLensProvider {
  const provider = new LoopLensProvider(services);
  context.subscriptions.push(
    provider,
    vscode.languages.registerCodeLensProvider(documentSelector, provider),
    vscode.languages.registerHoverProvider(documentSelector, new LoopHoverProvider(services)),
  );
  return provider;
}
