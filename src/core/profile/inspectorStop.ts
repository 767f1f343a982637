// Stopping a busy node process so that it still writes its CPU profile, without a watchdog thread in
// it: SIGUSR1 makes node open its inspector (even mid-loop: node handles the signal on its own
// thread), node prints the WebSocket URL on stderr, and one `Runtime.evaluate('process.exit(124)')`
// over that socket interrupts the running JavaScript (after it, node says when it only waits for the
// session to go: `NodeRuntime.waitingForDisconnect`). The preload sets `process.debugPort = 0`, so the
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

/** The text frames (server → client, unmasked) complete in `buf`, and the bytes left over. */
export function readFrames(buf: Buffer): { texts: string[]; rest: Buffer } {
  const texts: string[] = [];
  let at = 0;
  while (buf.length - at >= 2) {
    let len = buf[at + 1]! & 0x7f;
    let head = 2;
    if (len === 126) {
      if (buf.length - at < 4) break;
      len = buf.readUInt16BE(at + 2);
      head = 4;
    } else if (len === 127) {
      if (buf.length - at < 10) break;
      len = Number(buf.readBigUInt64BE(at + 2));
      head = 10;
    }
    if (buf.length - at < head + len) break;
    if ((buf[at]! & 0x0f) === 0x1) texts.push(buf.subarray(at + head, at + head + len).toString('utf8'));
    at += head + len;
  }
  return { texts, rest: buf.subarray(at) };
}

export interface InspectorExitResult {
  /** The exit was asked (the handshake went through and the messages were written). */
  readonly sent: boolean;
  /** The process's pid, as it answered over the session. */
  readonly pid?: number;
  /**
   * Node reported `NodeRuntime.waitingForDisconnect`: it ran its exit (exit handlers, CPU profile
   * written) and now only waits for this session to go. The session is closed then; but node does
   * not always notice a close that comes while `process.exit` runs inside the session's own message
   * dispatch (it prints "Waiting for the debugger to disconnect..." and waits for ever, ~1 stop in 3
   * on a loaded machine), so the caller ends such a process itself.
   */
  readonly waitingForDisconnect: boolean;
}

/**
 * Connects to a node inspector WebSocket and asks the main thread to `process.exit(code)`. Resolves
 * when the process is gone (the socket closed), when node waits for the session to disconnect, or
 * after `timeoutMs` whatever happened.
 */
export function inspectorExit(url: string, code: number, timeoutMs = 5000): Promise<InspectorExitResult> {
  return new Promise((resolve) => {
    const u = new URL(url);
    const socket = connect(Number(u.port), u.hostname);
    let sent = false;
    let pid: number | undefined;
    let handshake = '';
    let upgraded = false;
    let frames: Buffer = Buffer.alloc(0);
    let done = false;
    const finish = (waitingForDisconnect: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (waitingForDisconnect) socket.end(Buffer.from([0x88, 0x80, 0, 0, 0, 0]));
      socket.destroy();
      resolve({ sent, waitingForDisconnect, ...(pid !== undefined ? { pid } : {}) });
    };
    const timer = setTimeout(() => {
      finish(false);
    }, timeoutMs);
    socket.on('error', () => {
      finish(false);
    });
    socket.on('close', () => {
      finish(false);
    });
    socket.on('connect', () => {
      const key = randomBytes(16).toString('base64');
      socket.write(
        `GET ${u.pathname} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    socket.on('data', (chunk: Buffer) => {
      if (!upgraded) {
        handshake += chunk.toString('latin1');
        const end = handshake.indexOf('\r\n\r\n');
        if (end < 0) return;
        if (!/^HTTP\/1\.1 101/.test(handshake)) {
          finish(false);
          return;
        }
        upgraded = true;
        chunk = Buffer.from(handshake.slice(end + 4), 'latin1');
        const messages = [
          { id: 1, method: 'NodeRuntime.notifyWhenWaitingForDisconnect', params: { enabled: true } },
          { id: 2, method: 'Runtime.evaluate', params: { expression: 'process.pid', returnByValue: true } },
          { id: 3, method: 'Runtime.evaluate', params: { expression: `process.exit(${code})` } },
        ];
        socket.write(Buffer.concat(messages.map((m) => textFrame(JSON.stringify(m)))), () => {
          sent = true;
        });
      }
      const read = readFrames(Buffer.concat([frames, chunk]));
      frames = read.rest;
      for (const text of read.texts) {
        let message: { id?: number; method?: string; result?: { result?: { value?: unknown } } };
        try {
          message = JSON.parse(text) as typeof message;
        } catch {
          continue;
        }
        const value = message.id === 2 ? message.result?.result?.value : undefined;
        if (typeof value === 'number') pid = value;
        if (message.method === 'NodeRuntime.waitingForDisconnect') finish(true);
      }
    });
  });
}
