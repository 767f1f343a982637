// @vscode/test-cli configuration: the same in-host suite as `npm test`'s code-server route
// (test/e2e/run.mjs), under desktop VS Code, on machines that can download it:
//   node esbuild.mjs && npx vscode-test
// (Not used here: this machine cannot reach the VS Code download server; see test/e2e/README.md.)
// The workspace is a scratch copy of examples/ (tests change settings and write files).
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@vscode/test-cli';

const workspace = mkdtempSync(join(tmpdir(), 'hotloop-vscode-test-'));
cpSync(new URL('./examples', import.meta.url).pathname, workspace, { recursive: true });

export default defineConfig([
  {
    label: 'in-host',
    // The bundle of test/e2e/suite/*.e2e.ts (built by esbuild.mjs); it registers every test file
    // when test-cli's mocha loads it.
    files: 'out/test/suite/index.js',
    // The VS Code of code-server 4.100.3, and the minimum of engines.vscode.
    version: '1.100.3',
    workspaceFolder: workspace,
    launchArgs: ['--disable-extensions'],
    env: { HOTLOOP_E2E_TRUST: 'trusted' },
    // `@untrusted` tests need a window whose folder is not trusted: only the code-server route runs them.
    mocha: { ui: 'tdd', timeout: 60_000, grep: '@untrusted', invert: true },
  },
]);
