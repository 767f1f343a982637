// One step of an n-body simulation (softened gravity), bodies as a struct of arrays of Float64Array.

const SOFTENING = 1e-3;

export interface Bodies {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly z: Float64Array;
  readonly vx: Float64Array;
  readonly vy: Float64Array;
  readonly vz: Float64Array;
  readonly mass: Float64Array;
}

/** Updates velocities from all pairwise forces (nested loop over pairs), then positions. */
export function step(
  x: Float64Array, y: Float64Array, z: Float64Array,
  vx: Float64Array, vy: Float64Array, vz: Float64Array,
  mass: Float64Array, n: number, dt: number,
): void {
  for (let i = 0; i < n; i++) {
    let ax = 0;
    let ay = 0;
    let az = 0;
    for (let j = 0; j < n; j++) {
      const dx = x[j] - x[i];
      const dy = y[j] - y[i];
      const dz = z[j] - z[i];
      const d2 = dx * dx + dy * dy + dz * dz + SOFTENING;
      const inv = mass[j] / (d2 * Math.sqrt(d2));
      ax += dx * inv;
      ay += dy * inv;
      az += dz * inv;
    }
    vx[i] += dt * ax;
    vy[i] += dt * ay;
    vz[i] += dt * az;
  }
  for (let i = 0; i < n; i++) {
    x[i] += dt * vx[i];
    y[i] += dt * vy[i];
    z[i] += dt * vz[i];
  }
}

/** Total kinetic energy (a reduction). */
export function kineticEnergy(vx: Float64Array, vy: Float64Array, vz: Float64Array, mass: Float64Array): number {
  let e = 0;
  for (let i = 0; i < mass.length; i++) {
    e += 0.5 * mass[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i]);
  }
  return e;
}

/** A cloud of bodies around the origin, deterministic. */
export function makeBodies(n: number): Bodies {
  const b: Bodies = {
    x: new Float64Array(n), y: new Float64Array(n), z: new Float64Array(n),
    vx: new Float64Array(n), vy: new Float64Array(n), vz: new Float64Array(n),
    mass: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const t = (i * 2.399963) % (2 * Math.PI);
    const r = 1 + (i % 97) / 97;
    b.x[i] = r * Math.cos(t);
    b.y[i] = r * Math.sin(t);
    b.z[i] = ((i % 13) - 6) / 60;
    b.mass[i] = 1 / n;
  }
  return b;
}

/** Index of the heaviest body (reads `bodies.mass` through an object on every iteration: not translatable as written). */
export function heaviest(bodies: Bodies): number {
  let best = 0;
  for (let i = 1; i < bodies.mass.length; i++) {
    if (bodies.mass[i] > bodies.mass[best]) best = i;
  }
  return best;
}
