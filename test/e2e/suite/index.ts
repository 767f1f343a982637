// Entry of the in-host suite (`out/test/suite/index.js`): the extension host calls `run()` (the
// @vscode/test-electron contract). Every `*.e2e.ts` beside this file is bundled in by the build.
// Tests whose full title contains `@untrusted` run only in the untrusted window, all others only in
// the trusted one (the driver tells which through HOTLOOP_E2E_TRUST). HOTLOOP_E2E_GREP narrows further.
// Results go to the JSON file named by HOTLOOP_E2E_RESULTS, since mocha's console output only reaches
// the browser console.
import { writeFileSync } from 'node:fs';
import Mocha from 'mocha';
import files from 'hotloop:e2e-files';

export interface E2eTestResult {
  readonly title: string;
  readonly file: string;
  readonly state: 'passed' | 'failed' | 'skipped';
  readonly ms: number;
  readonly error?: string;
}

export interface E2eResults {
  readonly window: 'trusted' | 'untrusted';
  readonly tests: E2eTestResult[];
  /** Set when the suite could not even start (a file threw while loading). */
  readonly loadError?: string;
}

// Under @vscode/test-cli (.vscode-test.mjs) this bundle is itself one of mocha's files: test-cli's
// runner has defined suite/test already, so register every test file now and let it run them.
if (process.env.VSCODE_TEST_OPTIONS) for (const file of files) file.load();

function keepOnly(suite: Mocha.Suite, wanted: (title: string) => boolean): void {
  suite.tests = suite.tests.filter((t) => wanted(t.fullTitle()));
  for (const child of suite.suites) keepOnly(child, wanted);
}

export function run(): Promise<void> {
  const untrusted = process.env.HOTLOOP_E2E_TRUST === 'untrusted';
  const grep = process.env.HOTLOOP_E2E_GREP ? new RegExp(process.env.HOTLOOP_E2E_GREP) : undefined;
  const results: E2eResults = { window: untrusted ? 'untrusted' : 'trusted', tests: [] };
  const save = (extra: Partial<E2eResults> = {}): void => {
    const path = process.env.HOTLOOP_E2E_RESULTS;
    if (path) writeFileSync(path, JSON.stringify({ ...results, ...extra }, null, 2));
  };

  const mocha = new Mocha({ ui: 'tdd', timeout: 60_000, color: false, reporter: 'spec' });
  try {
    for (const file of files) {
      mocha.suite.emit('pre-require', globalThis, file.name, mocha);
      const mod = file.load();
      mocha.suite.emit('require', mod, file.name, mocha);
      mocha.suite.emit('post-require', globalThis, file.name, mocha);
    }
  } catch (e) {
    save({ loadError: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
  keepOnly(mocha.suite, (title) => title.includes('@untrusted') === untrusted && (!grep || grep.test(title)));

  return new Promise((resolve, reject) => {
    const fileOf = (t: Mocha.Runnable): string => (t.file ?? '').replace(/^.*\//, '');
    const runner = mocha.run((failures) => {
      save();
      if (failures > 0) reject(new Error(`${failures} in-host test(s) failed`));
      else resolve();
    });
    runner.on('pass', (t) =>
      results.tests.push({ title: t.fullTitle(), file: fileOf(t), state: 'passed', ms: t.duration ?? 0 }),
    );
    runner.on('pending', (t) =>
      results.tests.push({ title: t.fullTitle(), file: fileOf(t), state: 'skipped', ms: 0 }),
    );
    runner.on('fail', (t, err: unknown) => {
      const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      results.tests.push({
        title: t.fullTitle(),
        file: fileOf(t),
        state: 'failed',
        ms: t.duration ?? 0,
        error,
      });
    });
  });
}
