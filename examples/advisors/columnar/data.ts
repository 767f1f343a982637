// Deterministic test data for the columnar example: a CSV of trades from a seeded generator.

/** A seeded generator (mulberry32): the same seed gives the same trades on every machine. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYMBOLS = ['ACME', 'BOLT', 'CRUX', 'DYNE', 'EMBR', 'FLUX', 'GRID', 'HALO'];

/** `rows` trades as CSV text with a header: `id,time,symbol,side,price,qty,fee`. */
export function makeCsv(rows: number, seed = 20): string {
  const r = rng(seed);
  const lines = ['id,time,symbol,side,price,qty,fee'];
  let time = 1_733_000_000;
  for (let k = 0; k < rows; k++) {
    time += Math.floor(r() * 5);
    const symbol = SYMBOLS[Math.floor(r() * SYMBOLS.length)]!;
    const side = r() < 0.52 ? 'buy' : 'sell';
    const price = (20 + r() * 180).toFixed(2);
    const qty = 1 + Math.floor(r() * r() * 900);
    const fee = (0.01 + r() * 2.5).toFixed(3);
    lines.push(`T${k},${time},${symbol},${side},${price},${qty},${fee}`);
  }
  return `${lines.join('\n')}\n`;
}
