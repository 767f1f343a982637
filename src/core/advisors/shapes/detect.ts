// Polymorphic property sites from V8's own evidence: the inline-cache transitions of a run (a site
// whose IC went polymorphic — 2 to 4 maps — or megamorphic — more), joined with the code V8 optimized
// (TurboFan code for the site's function: V8 found it hot) and with the loops of the original source
// (the site lies in a loop, or in a callback of an array method). Each reported site names its
// property, the maps it saw, and for each map its own properties in order and the code that made it.
import { relative, sep } from 'node:path';
import { PositionMapper, SyntaxIndex, type SourcePosition } from './sourcePosition.js';
import type { ShapeSeen, ShapesFinding } from './types.js';
import { CodeIndex, type CodeObject, type IcSite, type V8Log } from './v8log.js';

const ONE_SHAPE =
  'give these objects one shape (the same properties in the same order, made in one constructor or factory)';

interface Site {
  readonly code: CodeObject;
  readonly events: IcSite[];
}

function shapeName(s: ShapeSeen, all: readonly ShapeSeen[]): string {
  const made = s.madeAt
    ? ` made in ${s.madeAt.functionName || '<module>'} (${s.madeAt.file}:${s.madeAt.line})`
    : '';
  const props = s.properties.join(', ');
  const count = s.maps > 1 ? ` (${s.maps} maps)` : '';
  const twin = all.some((t) => t !== s && t.properties.join(', ') === props);
  if (s.properties.length > 0)
    return `{ ${props} }${made}${count}${twin ? ' (the same order as another: built differently)' : ''}`;
  return `${s.type ? s.type.replace(/^JS_|_TYPE$/g, '').toLowerCase() : 'a map V8 gave no details of'}${made}${count}`;
}

/** The maps a site saw, grouped by their properties, type and the code that made them (with counts). */
function shapesOf(
  maps: readonly string[],
  info: (m: string) => { readonly properties: readonly string[]; readonly type?: string } | undefined,
  made: (m: string) => ShapeSeen['madeAt'],
): ShapeSeen[] {
  const groups = new Map<string, ShapeSeen>();
  for (const m of maps) {
    const i = info(m);
    const where = made(m);
    const id = JSON.stringify([i?.properties ?? [], i?.type ?? '', where?.file ?? '', where?.line ?? 0]);
    const g = groups.get(id);
    groups.set(id, {
      properties: i?.properties ?? [],
      ...(i?.type ? { type: i.type } : {}),
      ...(where ? { madeAt: where } : {}),
      maps: (g?.maps ?? 0) + 1,
    });
  }
  return [...groups.values()].sort((a, b) => b.maps - a.maps);
}

/** The findings of one V8 log for the files under `root` (others — node_modules, node — are skipped). */
export function polymorphicSites(log: V8Log, root: string): ShapesFinding[] {
  const index = new CodeIndex(log.code);
  const optimized = new Set(log.code.filter((c) => c.tier === '*' || c.tier === '+').map((c) => c.sfi));
  const mapper = new PositionMapper();
  const syntax = new SyntaxIndex();
  const sites = new Map<string, Site>();
  for (const e of log.ics) {
    const code = index.find(e.pc, e.time);
    if (!code?.script) continue;
    const id = `${code.script}\u0000${e.line}\u0000${e.column}\u0000${e.key}`;
    const site = sites.get(id) ?? { code, events: [] };
    site.events.push(e);
    sites.set(id, site);
  }
  const inRoot = (p: SourcePosition): string | undefined => {
    const rel = relative(root, p.file);
    return rel.startsWith('..') || rel.split(sep).includes('node_modules')
      ? undefined
      : rel.split(sep).join('/');
  };
  const made = (addr: string): ShapeSeen['madeAt'] => {
    const at = log.maps.get(addr)?.madeAt;
    const code = at ? index.find(at.pc, Number.MAX_SAFE_INTEGER) : undefined;
    const pos = at && code ? mapper.original(code.script, at.line, at.column) : undefined;
    const file = pos ? inRoot(pos) : undefined;
    if (!pos || !file) return undefined;
    return { file, line: pos.line, functionName: syntax.at(pos)?.functionName ?? code!.name };
  };
  const out: ShapesFinding[] = [];
  for (const { code, events } of sites.values()) {
    const states = new Set(events.flatMap((e) => [...e.states]));
    if (!states.has('P') && !states.has('N')) continue;
    const first = events[0]!;
    const pos = mapper.original(code.script, first.line, first.column);
    const file = pos ? inRoot(pos) : undefined;
    if (!pos || !file) continue;
    const at = syntax.at(pos);
    const maps = [...new Set(events.flatMap((e) => [...e.maps]))].filter((m) => m !== '' && Number(m) !== 0);
    const shapes = shapesOf(maps, (m) => log.maps.get(m), made);
    const state: ShapesFinding['state'] = states.has('N') ? 'megamorphic' : 'polymorphic';
    const hot = optimized.has(code.sfi);
    const functionName = at?.functionName ?? code.name;
    const what = `${at?.receiver ? `${at.receiver}.` : ''}${first.key}`;
    const base = {
      advisor: 'shapes' as const,
      kind: 'polymorphic-site' as const,
      file,
      line: pos.line,
      column: pos.column,
      functionName,
      key: first.key,
      access: first.type,
      state,
      maps: maps.length,
      shapes,
      optimized: hot,
      inLoop: at?.inLoop ?? false,
    };
    const seen = `\`${what}\` (${first.type}) saw ${maps.length} maps, ${state}`;
    const where = base.inLoop
      ? `in a hot loop of \`${functionName}\``
      : `in \`${functionName}\`, which V8 optimized (hot)`;
    const verdict: ShapesFinding['verdict'] = !hot
      ? {
          kind: 'left-alone',
          reason: `${seen}, but V8 never optimized \`${functionName}\`: the site ran cold`,
        }
      : {
          kind: 'advice',
          summary: `${seen} ${where}: ${shapes
            .slice(0, 8)
            .map((x) => shapeName(x, shapes))
            .join('; ')}${shapes.length > 8 ? `; and ${shapes.length - 8} more` : ''}`,
          advice: ONE_SHAPE,
        };
    out.push({ ...base, verdict });
  }
  return out.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}
