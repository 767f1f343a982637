// The inspector stop: server frames are read whole (7-, 16- and 64-bit lengths, split across chunks),
// and a busy node process asked to exit over its inspector answers with its pid and exits 124, or
// says it only waits for the session to go.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { INSPECTOR_URL, inspectorExit, readFrames } from '../../src/core/profile/inspectorStop.js';

function serverFrame(text: string, opcode = 0x1): Buffer {
  const body = Buffer.from(text, 'utf8');
  const n = body.length;
  let head: Buffer;
  if (n < 126) head = Buffer.from([0x80 | opcode, n]);
  else if (n < 65536) head = Buffer.from([0x80 | opcode, 126, n >> 8, n & 0xff]);
  else {
    head = Buffer.alloc(10);
    head[0] = 0x80 | opcode;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(n), 2);
  }
  return Buffer.concat([head, body]);
}

describe('inspector stop', () => {
  test('frames of every length class are read whole; a cut frame waits for its rest; control frames are skipped', () => {
    const texts = ['{"id":1}', 'x'.repeat(300), 'y'.repeat(70_000)];
    const all = Buffer.concat([
      serverFrame(texts[0]!),
      serverFrame('', 0x9),
      ...texts.slice(1).map((t) => serverFrame(t)),
    ]);
    assert.deepEqual(readFrames(all).texts, texts);
    assert.equal(readFrames(all).rest.length, 0);
    const cut = 65; // inside the 300-character frame (frames of 10 and 2 bytes before it)
    const first = readFrames(all.subarray(0, cut));
    assert.deepEqual(first.texts, [texts[0]]);
    const second = readFrames(Buffer.concat([first.rest, all.subarray(cut)]));
    assert.deepEqual(second.texts, texts.slice(1));
  });

  test('a busy node process asked over its inspector gives its pid and ends with exit 124', async () => {
    const child = spawn(
      process.execPath,
      ['--inspect-port=0', '-e', 'console.log("spinning"); for (;;) {}'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<[number | null, string | null]>((r) => {
      child.on('exit', (c, s) => {
        r([c, s]);
      });
    });
    try {
      let err = '';
      const url = new Promise<string>((resolve) => {
        child.stderr.on('data', (d: Buffer) => {
          err += d.toString();
          const m = INSPECTOR_URL.exec(err);
          if (m) resolve(m[1]!);
        });
      });
      await new Promise((r) => child.stdout.once('data', r));
      child.kill('SIGUSR1');
      const result = await inspectorExit(await url, 124, 30_000);
      assert.equal(result.sent, true);
      assert.equal(result.pid, child.pid);
      // Either node exited (the socket closed) or it waits for the session to go, its exit done.
      if (result.waitingForDisconnect) {
        await new Promise((r) => setTimeout(r, 500));
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      const [code, signal] = await exited;
      if (!result.waitingForDisconnect) assert.deepEqual([code, signal], [124, null]);
      else assert.ok(code === 124 || signal === 'SIGKILL', `${code} / ${signal}`);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
