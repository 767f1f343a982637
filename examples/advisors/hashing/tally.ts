// The hashing example's hot loop: clicks per user id in a plain object (numeric keys), then the
// busiest users. The hashing advisor turns `clicks` into a Map while it is filled.

/** The `k` users with the most clicks (ties by id), and how many users clicked at all. */
export function busiest(events: readonly number[], k: number): { users: number; top: [string, number][] } {
  const clicks: Record<number, number> = {};
  for (const id of events) clicks[id] = (clicks[id] || 0) + 1;
  const all = Object.entries(clicks);
  all.sort((p, q) => q[1] - p[1] || Number(p[0]) - Number(q[0]));
  return { users: all.length, top: all.slice(0, k) };
}
