// The columnar advisor's example: a trading-desk report over a day of trades parsed from CSV. The
// parser makes one object per trade; then every figure of the report is a filter/map/reduce
// pipeline over those objects — and the per-symbol and price-band tables run them once per row.
// The advisor builds one typed column per numeric field read (price, qty, fee) right after the
// parse, and turns each pipeline into one loop over the columns.

/** The report's lines for a CSV of trades (`id,time,symbol,side,price,qty,fee`). */
export function report(csv: string): string[] {
  const trades = csv
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((line) => {
      const f = line.split(',');
      return {
        id: f[0] ?? '',
        time: Number(f[1]),
        symbol: f[2] ?? '',
        side: f[3] ?? '',
        price: Number(f[4]),
        qty: parseInt(f[5] ?? '', 10) | 0,
        fee: Number(f[6]),
      };
    });
  const out: string[] = [`trades        ${trades.length}`];
  const notional = trades.map((t) => t.price * t.qty).reduce((a, b) => a + b, 0);
  const bought = trades.filter((t) => t.side === 'buy').reduce((a, t) => a + t.qty, 0);
  const sold = trades.filter((t) => t.side === 'sell').reduce((a, t) => a + t.qty, 0);
  const fees = trades.reduce((a, t) => a + t.fee, 0);
  const block = trades.filter((t) => t.qty >= 500).length;
  const high = trades.reduce((m, t) => Math.max(m, t.price), -Infinity);
  const low = trades.reduce((m, t) => Math.min(m, t.price), Infinity);
  out.push(
    `notional      ${notional.toFixed(2)}`,
    `bought/sold   ${bought} / ${sold}`,
    `fees          ${fees.toFixed(3)}`,
    `block trades  ${block}`,
    `price range   ${low.toFixed(2)} – ${high.toFixed(2)}`,
  );
  // Per symbol: trades, volume, VWAP and fees.
  for (const symbol of ['ACME', 'BOLT', 'CRUX', 'DYNE', 'EMBR', 'FLUX', 'GRID', 'HALO']) {
    const count = trades.filter((t) => t.symbol === symbol).length;
    const volume = trades.filter((t) => t.symbol === symbol).reduce((a, t) => a + t.qty, 0);
    const value = trades.filter((t) => t.symbol === symbol).reduce((a, t) => a + t.price * t.qty, 0);
    const paid = trades.filter((t) => t.symbol === symbol).reduce((a, t) => a + t.fee, 0);
    out.push(
      `${symbol}  trades ${String(count).padStart(6)}  volume ${String(volume).padStart(8)}  vwap ${volume > 0 ? (value / volume).toFixed(4) : '–'}  fees ${paid.toFixed(3)}`,
    );
  }
  // The price-band table: volume, notional and VWAP of the trades in each 10-wide band.
  for (let lo = 20; lo < 200; lo += 10) {
    const hi = lo + 10;
    const volume = trades.filter((t) => t.price >= lo && t.price < hi).reduce((a, t) => a + t.qty, 0);
    const value = trades
      .filter((t) => t.price >= lo && t.price < hi)
      .map((t) => t.price * t.qty)
      .reduce((a, b) => a + b, 0);
    const big = trades.filter((t) => t.price >= lo && t.price < hi && t.qty >= 500).length;
    out.push(
      `band ${String(lo).padStart(3)}–${String(hi).padEnd(3)}  volume ${String(volume).padStart(8)}  vwap ${volume > 0 ? (value / volume).toFixed(4) : '–'}  blocks ${big}`,
    );
  }
  return out;
}
