// The driver records every file the extension host touches (strace, lib/fileAccess.mjs) and fails the
// run when it reaches outside the install folder, the workspace and the scratch HOME/TMP. This test
// makes one such access on purpose, from inside the same extension host: the driver must find it in
// the trace (else the check is blind) and leaves only that one path out of its verdict.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

suite('File access check', () => {
  test('a deliberate read of the checkout (the file-access check must catch it)', function () {
    const canary = process.env.HOTLOOP_E2E_CANARY;
    if (!canary) this.skip(); // run from .vscode-test.mjs: nothing traces the host there
    assert.ok(readFileSync(canary, 'utf8').length > 0);
  });
});
