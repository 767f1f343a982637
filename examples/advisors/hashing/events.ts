// Click events for the hashing example: `n` user ids (sparse, up to ~2e9, a few hot users) from a
// seeded generator.
export function makeEvents(n: number, users: number, seed = 7): number[] {
  let s = seed >>> 0;
  const rnd = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const ids: number[] = [];
  for (let k = 0; k < users; k++) ids.push(Math.floor(rnd() * 2e9));
  const out: number[] = [];
  for (let k = 0; k < n; k++) out.push(ids[Math.floor(rnd() * rnd() * users)]!);
  return out;
}
