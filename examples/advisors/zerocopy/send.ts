// The zero-copy advisor's example, part 3: frames of samples posted to a port (a worker's, in a real
// program; here both ends are in this thread) — without a transfer list every frame is copied by
// structured clone, once to serialise and once to deserialise. The advisor adds `[frame.buffer]`:
// the buffer moves to the receiver and nothing is copied.
import { MessageChannel } from 'node:worker_threads';

/** Posts `frames` frames of `size` samples; returns the checksum the receiving end computed. */
export async function sendFrames(frames: number, size: number): Promise<number> {
  const { port1, port2 } = new MessageChannel();
  let sum = 0;
  let got = 0;
  const done = new Promise<void>((resolve) => {
    if (frames === 0) resolve();
    port2.on('message', (frame: Float64Array) => {
      sum += frame.length + (frame[0] ?? 0) + (frame[frame.length - 1] ?? 0);
      if (++got === frames) resolve();
    });
  });
  for (let f = 0; f < frames; f++) {
    const frame = new Float64Array(size);
    frame.fill(f * 0.5);
    frame[0] = f;
    port1.postMessage(frame);
  }
  await done;
  port1.close();
  return sum;
}
