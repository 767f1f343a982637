// The V8 `.cpuprofile` format (Chrome DevTools protocol `Profiler.Profile`), as written by
// `node --cpu-prof`, the inspector and VS Code's JS debugger: validation and a time-weighted walk.

export interface CallFrame {
  readonly functionName: string;
  readonly scriptId: string;
  readonly url: string;
  /** Zero-based. */
  readonly lineNumber: number;
  readonly columnNumber: number;
}

export interface PositionTick {
  /** One-based source line of the script. */
  readonly line: number;
  readonly ticks: number;
}

export interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly hitCount?: number;
  readonly children?: readonly number[];
  readonly positionTicks?: readonly PositionTick[];
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  /** Microseconds. */
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** Parses and checks a .cpuprofile text; throws an error that says what is wrong. */
export function parseCpuProfile(text: string, name = 'profile'): CpuProfile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(
      `${name} is not JSON (${err instanceof Error ? err.message : String(err)}); expected a .cpuprofile from node --cpu-prof or the JS debugger.`,
      { cause: err },
    );
  }
  // VS Code's js-debug and DevTools sometimes wrap the profile: { profile: {...} }.
  if (isObject(data) && !Array.isArray(data.nodes) && isObject(data.profile)) data = data.profile;
  if (
    !isObject(data) ||
    !Array.isArray(data.nodes) ||
    typeof data.startTime !== 'number' ||
    typeof data.endTime !== 'number'
  ) {
    throw new Error(
      `${name} is not a V8 CPU profile: it needs "nodes", "startTime" and "endTime" (a .cpuprofile file).`,
    );
  }
  for (const n of data.nodes as unknown[]) {
    if (!isObject(n) || typeof n.id !== 'number' || !isObject(n.callFrame)) {
      throw new Error(`${name}: a node lacks "id" or "callFrame"; the file is not a V8 CPU profile.`);
    }
  }
  return data as unknown as CpuProfile;
}

/** One profile node with its parent and the time its samples account for. */
export interface WalkNode {
  readonly node: ProfileNode;
  readonly parent: WalkNode | undefined;
  /** Self time in ms (time-weighted samples; hitCount × interval when there are no samples). */
  selfMs: number;
}

export interface ProfileWalk {
  readonly byId: ReadonlyMap<number, WalkNode>;
  /** Samples in order with their duration, for GC charging (GC time goes to the sample before). */
  readonly sequence: readonly {
    readonly node: WalkNode;
    readonly ms: number;
    /** Start, ms on the profile clock. */ readonly at: number;
  }[];
  /** Profile start and end, ms on the profile clock (monotonic, shared by the threads of a machine). */
  readonly startMs: number;
  readonly endMs: number;
  readonly durationMs: number;
  readonly sampleCount: number;
}

/** Builds parent links and per-node self time from samples and timeDeltas. */
export function walkProfile(profile: CpuProfile, intervalUs: number): ProfileWalk {
  const byId = new Map<number, WalkNode>();
  const index = new Map(profile.nodes.map((n) => [n.id, n] as const));
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  const make = (id: number): WalkNode | undefined => {
    const existing = byId.get(id);
    if (existing) return existing;
    const node = index.get(id);
    if (!node) return undefined;
    const pid = parentOf.get(id);
    const w: WalkNode = { node, parent: pid === undefined ? undefined : make(pid), selfMs: 0 };
    byId.set(id, w);
    return w;
  };
  // Iterative creation in parent-first order (deep trees would overflow a recursive make()).
  const order: number[] = [];
  const roots = profile.nodes.filter((n) => !parentOf.has(n.id)).map((n) => n.id);
  const stack = [...roots];
  while (stack.length) {
    const id = stack.pop()!;
    order.push(id);
    for (const c of index.get(id)?.children ?? []) stack.push(c);
  }
  for (const id of order) make(id);
  for (const n of profile.nodes) if (!byId.has(n.id)) make(n.id);

  const sequence: { node: WalkNode; ms: number; at: number }[] = [];
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const fallbackMs = intervalUs / 1000;
  if (samples.length > 0) {
    let clock = profile.startTime;
    for (let i = 0; i < samples.length; i++) {
      clock += deltas[i] ?? 0;
      const w = byId.get(samples[i]!);
      if (!w) continue;
      // A sample stands for the time until the next one; the last one for one interval.
      const next = deltas[i + 1];
      const ms = next !== undefined && next >= 0 ? next / 1000 : fallbackMs;
      w.selfMs += ms;
      sequence.push({ node: w, ms, at: clock / 1000 });
    }
  } else {
    for (const w of byId.values()) w.selfMs = (w.node.hitCount ?? 0) * fallbackMs;
  }
  return {
    byId,
    sequence,
    durationMs: (profile.endTime - profile.startTime) / 1000,
    sampleCount: samples.length,
    startMs: profile.startTime / 1000,
    endMs: profile.endTime / 1000,
  };
}
