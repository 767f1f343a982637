// Debian's chromium for the webview tests: installed on demand (idempotent), launched headless with no
// outside network (only 127.0.0.1/localhost resolve, for the tests' own file server).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export async function launchChromium(root: string): Promise<Browser> {
  const apt = spawnSync('node', [join(root, 'scripts', 'ensure-apt.mjs'), 'chromium'], { stdio: 'inherit' });
  assert.equal(apt.status, 0, 'chromium could not be installed');
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
    ],
  });
}
