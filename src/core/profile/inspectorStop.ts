// Stopping a busy node process so that it still writes its CPU profile, without a watchdog thread in
// it: SIGUSR1 makes node open its inspector (even mid-loop: node handles the signal on its own
// thread), node prints the WebSocket URL on stderr, and one `Runtime.evaluate('process.exit(124)')`
// over that socket interrupts the running JavaScript. The preload sets `process.debugPort = 0`, so the
// port is a free one; the inspector listens on 127.0.0.1 only, and only from the stop on.
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';

/** The line node prints when its inspector opens. */
export const INSPECTOR_URL = /Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/[\w-]+)/;

/** One masked text frame (client → server), RFC 6455. */
function textFrame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const mask = randomBytes(4);
  const len = payload.length;
  const head =
    len < 126 ? Buffer.from([0x81, 0x80 | len]) : Buffer.from([0x81, 0x80 | 126, len >> 8, len & 0xff]);
  const body = Buffer.alloc(len);
  for (let i = 0; i < len; i++) body[i] = payload[i]! ^ mask[i & 3]!;
  return Buffer.concat([head, mask, body]);
}

/**
 * Connects to a node inspector WebSocket and asks the main thread to `process.exit(code)`. Resolves
 * once the message is sent and the socket closed again (a connected session would hold the exit), or
 * after `timeoutMs` whatever happened.
 */
export function inspectorExit(url: string, code: number, timeoutMs = 1500): Promise<boolean> {
  return new Promise((resolve) => {
    const u = new URL(url);
    const socket = connect(Number(u.port), u.hostname);
    let sent = false;
    let buffered = '';
    const finish = (ok: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => {
      finish(sent);
    }, timeoutMs);
    socket.on('error', () => {
      finish(sent);
    });
    socket.on('connect', () => {
      const key = randomBytes(16).toString('base64');
      socket.write(
        `GET ${u.pathname} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    socket.on('data', (chunk: Buffer) => {
      if (sent) return;
      buffered += chunk.toString('latin1');
      if (!buffered.includes('\r\n\r\n')) return;
      if (!/^HTTP\/1\.1 101/.test(buffered)) {
        finish(false);
        return;
      }
      sent = true;
      socket.write(
        textFrame(
          JSON.stringify({
            id: 1,
            method: 'Runtime.evaluate',
            params: { expression: `process.exit(${code})` },
          }),
        ),
        () => {
          // Give the inspector's thread time to hand the message to the main thread, then let go.
          setTimeout(() => {
            finish(true);
          }, 150);
        },
      );
    });
  });
}
