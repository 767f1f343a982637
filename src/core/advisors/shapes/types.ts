// The shapes advisor's findings: property sites that V8's inline caches saw with several hidden
// classes (maps) in a run — polymorphic (2–4 maps) or megamorphic (more).

/** One kind of map a site saw: its own properties in order, and the code that made it (when V8 said). */
export interface ShapeSeen {
  readonly properties: readonly string[];
  /** V8's instance type (`JS_OBJECT_TYPE`, `JS_ARRAY_TYPE`, …). */
  readonly type?: string;
  readonly madeAt?: { readonly file: string; readonly line: number; readonly functionName: string };
  /** How many of the site's maps look like this (same properties, type and maker). */
  readonly maps: number;
}

export type ShapesVerdict =
  | {
      readonly kind: 'advice';
      /** The site, its maps and where each was made. */
      readonly summary: string;
      readonly advice: string;
    }
  | { readonly kind: 'left-alone'; readonly reason: string };

export interface ShapesFinding {
  readonly advisor: 'shapes';
  readonly kind: 'polymorphic-site';
  /** Relative to the run's root, `/`-separated. */
  readonly file: string;
  /** 1-based line and column of the property's name at the site. */
  readonly line: number;
  readonly column: number;
  readonly functionName: string;
  /** The property read or written. */
  readonly key: string;
  /** V8's IC kind: `LoadIC`, `StoreIC`, `KeyedLoadIC`, … */
  readonly access: string;
  readonly state: 'polymorphic' | 'megamorphic';
  /** How many maps the site saw. */
  readonly maps: number;
  readonly shapes: readonly ShapeSeen[];
  /** V8 optimized the site's function (TurboFan): it ran hot. */
  readonly optimized: boolean;
  /** The site is in a loop (or an array method's callback) of its function. */
  readonly inLoop: boolean;
  readonly verdict: ShapesVerdict;
}
