// VS Code theme colours for the charts, read from the CSS variables VS Code injects into webviews
// (light, dark and high-contrast themes all define them).
export interface Palette {
  readonly foreground: string;
  readonly muted: string;
  readonly grid: string;
  readonly background: string;
  readonly series: readonly string[];
  readonly error: string;
  readonly highContrast: boolean;
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

export function palette(): Palette {
  const highContrast =
    document.body.classList.contains('vscode-high-contrast') ||
    document.body.classList.contains('vscode-high-contrast-light');
  return {
    foreground: cssVar('--vscode-foreground', '#cccccc'),
    muted: cssVar('--vscode-descriptionForeground', '#999999'),
    grid: cssVar(highContrast ? '--vscode-contrastBorder' : '--vscode-editorWidget-border', '#80808040'),
    background: cssVar('--vscode-editor-background', '#1e1e1e'),
    series: [
      cssVar('--vscode-charts-blue', '#3794ff'),
      cssVar('--vscode-charts-orange', '#d18616'),
      cssVar('--vscode-charts-green', '#89d185'),
      cssVar('--vscode-charts-purple', '#b180d7'),
      cssVar('--vscode-charts-yellow', '#cca700'),
      cssVar('--vscode-charts-red', '#f14c4c'),
      cssVar('--vscode-charts-foreground', '#cccccc'),
    ],
    error: cssVar('--vscode-errorForeground', '#f14c4c'),
    highContrast,
  };
}

/** Calls back when VS Code switches theme (it changes the body's class). */
export function onThemeChange(callback: () => void): void {
  new MutationObserver(callback).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
