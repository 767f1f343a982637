#!/usr/bin/env node
// `npm run test:loaded [-- suites…]`: `npm test` (or the suites given) with two extra CPU-bound
// processes running beside it the whole time — the load the suite must pass under (tests assert
// events and outcomes, never durations). The burners are killed when the run ends, however it ends.
import { spawn } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const BURNERS = Number(process.env.HOTLOOP_LOAD_PROCESSES ?? 2);
const burners = Array.from({ length: BURNERS }, () =>
  spawn(process.execPath, ['-e', 'for (let x = 0; ; x = (x + 1) % 1e9) {}'], { stdio: 'ignore' }),
);
console.log(
  `[test:loaded] ${BURNERS} CPU-bound processes running beside the suite (pids ${burners.map((b) => b.pid).join(', ')})`,
);
const stop = () => {
  for (const b of burners) if (b.exitCode === null && b.signalCode === null) b.kill('SIGKILL');
};
process.on('exit', stop);
const run = spawn(process.execPath, [`${root}scripts/test.mjs`, ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
const forward = (sig) => run.kill(sig);
process.on('SIGINT', forward).on('SIGTERM', forward);
run.on('close', (code, signal) => {
  stop();
  console.log(`[test:loaded] suite ended (${signal ?? `exit ${code}`}) with ${BURNERS} burners beside it`);
  process.exit(code ?? 1);
});
