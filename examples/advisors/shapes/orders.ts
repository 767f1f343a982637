// The shapes example's records: orders arrive from five channels, each decoded by its own code — the
// way real services grow. Every order has the same three fields, but each decoder builds its object
// differently (another property order, a field added later, a spread of defaults), so V8 gives the
// orders five hidden classes (maps) and the hot loop that reads them (book.ts) sees all five.

export interface Order {
  id: number;
  price: number;
  qty: number;
}

/** A web order: `id;price;qty`. */
export function fromWeb(line: string): Order {
  const f = line.split(';');
  return { id: Number(f[0]), price: Number(f[1]), qty: Number(f[2]) };
}

/** An app order: JSON with short keys. */
export function fromApp(j: { q: number; p: number; i: number }): Order {
  return { qty: j.q, price: j.p, id: j.i };
}

/** A point-of-sale order: quantity one unless told. */
export function fromPos(id: number, price: number, qty?: number): Order {
  const o = { id, price } as Order;
  o.qty = qty ?? 1;
  return o;
}

const PARTNER_DEFAULTS = { qty: 1, price: 0 };

/** A partner's order: defaults, then what the partner sent. */
export function fromPartner(id: number, sent: { price: number; qty?: number }): Order {
  return { ...PARTNER_DEFAULTS, ...sent, id };
}

/** An imported order: a tuple. */
export function fromImport(t: readonly [number, number, number]): Order {
  const o: Partial<Order> = {};
  o.price = t[1];
  o.id = t[0];
  o.qty = t[2];
  return o as Order;
}
