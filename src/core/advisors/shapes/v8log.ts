// The parts of a V8 log (`node --log-ic --log-maps --log-maps-details --logfile=…`) the shapes advisor
// reads: code objects (where each function's bytecode and machine code lie, and which were optimized),
// inline-cache state transitions (the site, its old and new state, the receiver's map, the key), maps
// (their own properties in order, from `map-details`) and map transitions (the code that made a map).
// V8 writes one event per line, fields split by commas (commas inside a field are `\x2C`).
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** A code object: a function's bytecode or machine code at [start, start + size). */
export interface CodeObject {
  readonly start: number;
  readonly size: number;
  readonly time: number;
  /** The function's name (empty for a script's top level). */
  readonly name: string;
  /** The script's path or URL, as V8 names it (empty for builtins). */
  readonly script: string;
  /** 1-based line and column of the function in the script. */
  readonly line: number;
  readonly column: number;
  /** The SharedFunctionInfo's address: the same function across tiers. */
  readonly sfi: string;
  /** V8's tier marker: `~` interpreted, `^` baseline, `+` Maglev, `*` TurboFan. */
  readonly tier: string;
}

/** V8's IC states: 0 uninitialized, . premonomorphic, 1 monomorphic, ^ recompute, P polymorphic, N megamorphic, G generic. */
export type IcState = '0' | '.' | '1' | '^' | 'P' | 'N' | 'G' | 'X';

/** The IC events of one site of one code object (one pc), folded as they are read. */
export interface IcSite {
  /** `LoadIC`, `KeyedLoadIC`, `StoreIC`, `KeyedStoreIC`, … */
  readonly type: string;
  readonly pc: number;
  /** The time of its first event. */
  readonly time: number;
  /** 1-based line and column of the access in the generated script. */
  readonly line: number;
  readonly column: number;
  readonly key: string;
  /** The states it went to, and the receivers' maps (addresses; at most MAX_MAPS kept). */
  readonly states: Set<IcState>;
  readonly maps: Set<string>;
}

/** Maps kept per site (a megamorphic site in a long run may see thousands). */
export const MAX_MAPS = 4096;

export interface MapInfo {
  /** Own properties in the map's order (empty when V8 gave no details). */
  readonly properties: readonly string[];
  /** V8's instance type (`JS_OBJECT_TYPE`, `JS_ARRAY_TYPE`, …), when V8 gave details. */
  readonly type?: string;
  /** Where the map was made (the transition that made it): the code's pc, 1-based line/column. */
  readonly madeAt?: { readonly pc: number; readonly line: number; readonly column: number };
}

export interface V8Log {
  readonly code: readonly CodeObject[];
  readonly ics: readonly IcSite[];
  readonly maps: ReadonlyMap<string, MapInfo>;
}

const IC_TYPES =
  /^(Load|Store|KeyedLoad|KeyedStore|LoadGlobal|StoreGlobal|StoreInArrayLiteral|DefineNamedOwn|DefineKeyedOwn)IC$/;

const unescape = (s: string): string =>
  s.replace(/\\x([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

/** `name /path/file.js:3:15` (or ` /path:1:1` for a top level) → its parts. */
function codeName(field: string): Pick<CodeObject, 'name' | 'script' | 'line' | 'column'> {
  const m = /^(.*?) ?(\S+):(\d+):(\d+)$/.exec(field);
  if (!m) return { name: field, script: '', line: 0, column: 0 };
  return { name: m[1]!.trim(), script: m[2]!, line: Number(m[3]), column: Number(m[4]) };
}

/** The own properties of a map from its `map-details` text (`[0]: … #x (const data field …)`). */
function mapProperties(details: string): string[] {
  const text = details.replace(/\\n/g, '\n');
  const own = /instance descriptors(?: \(own\))? #(\d+)/.exec(text);
  const props: string[] = [];
  for (const m of text.matchAll(/^\s*\[\d+\]: \S+: \[String\][^#\n]*#([^\s(]+) \(/gm))
    props.push(unescape(m[1]!));
  return own ? props.slice(0, Number(own[1])) : props;
}

function mapEntry(maps: Map<string, MapInfo>, addr: string): MapInfo {
  return maps.get(addr) ?? { properties: [] };
}

/** Reads a V8 log line by line (the lines it does not know are skipped). */
export class V8LogReader {
  private readonly code: CodeObject[] = [];
  private readonly ics = new Map<string, IcSite>();
  private readonly maps = new Map<string, MapInfo>();

  line(line: string): void {
    const f = line.split(',');
    const tag = f[0]!;
    const maps = this.maps;
    if (tag === 'code-creation' && f.length >= 7) {
      this.code.push({
        start: Number(f[4]),
        size: Number(f[5]),
        time: Number(f[3]),
        ...codeName(unescape(f[6]!)),
        sfi: f[7] ?? '',
        tier: f[8] ?? '',
      });
    } else if (IC_TYPES.test(tag) && f.length >= 9) {
      const id = `${f[1]},${f[3]},${f[4]},${f[8]},${tag}`;
      let site = this.ics.get(id);
      if (!site) {
        site = {
          type: tag,
          pc: Number(f[1]),
          time: Number(f[2]),
          line: Number(f[3]),
          column: Number(f[4]),
          key: unescape(f[8]!),
          states: new Set(),
          maps: new Set(),
        };
        this.ics.set(id, site);
      }
      site.states.add(f[6] as IcState);
      if (site.maps.size < MAX_MAPS) site.maps.add(f[7]!);
    } else if (tag === 'map-details' && f.length >= 4) {
      const addr = f[2]!;
      const details = f.slice(3).join(',');
      const type = /- type: (\w+)/.exec(details)?.[1];
      maps.set(addr, {
        ...mapEntry(maps, addr),
        properties: mapProperties(details),
        ...(type ? { type } : {}),
      });
    } else if (tag === 'map' && f[1] === 'Transition' && f.length >= 8) {
      const addr = f[4]!;
      const madeAt = { pc: Number(f[5]), line: Number(f[6]), column: Number(f[7]) };
      maps.set(addr, { ...mapEntry(maps, addr), madeAt });
    }
  }

  result(): V8Log {
    return { code: this.code, ics: [...this.ics.values()], maps: this.maps };
  }
}

/** Parses the log's text. */
export function parseV8Log(text: string): V8Log {
  const r = new V8LogReader();
  for (const line of text.split('\n')) r.line(line);
  return r.result();
}

/** Parses a log file line by line (a long run's log can pass the size of one string). */
export async function readV8Log(path: string): Promise<V8Log> {
  const r = new V8LogReader();
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) r.line(line);
  return r.result();
}

/** Finds the code object holding `pc` at `time` (the latest made before it), by binary search on starts. */
export class CodeIndex {
  private readonly sorted: CodeObject[];
  constructor(code: readonly CodeObject[]) {
    this.sorted = code.filter((c) => c.size > 0).sort((a, b) => a.start - b.start);
  }
  find(pc: number, time: number): CodeObject | undefined {
    const s = this.sorted;
    let lo = 0;
    let hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s[mid]!.start <= pc) lo = mid + 1;
      else hi = mid;
    }
    let best: CodeObject | undefined;
    // Code ranges may be reused after a GC: among the objects holding pc, the latest made before `time`.
    for (let i = lo - 1; i >= 0 && i >= lo - 64; i--) {
      const c = s[i]!;
      if (pc < c.start + c.size && c.time <= time && (!best || c.time > best.time)) best = c;
    }
    return best;
  }
}
