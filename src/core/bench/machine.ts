// Machine info saved with every result: CPU model, cores, SIMD level, Node and V8 versions.
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import type { MachineInfo } from './types.js';

/** The widest x86/ARM SIMD extension the CPU reports (Linux /proc/cpuinfo; best effort elsewhere). */
export function simdLevel(): string {
  if (process.arch === 'arm64') return 'neon';
  try {
    const flags = new Set(
      /^flags\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.split(/\s+/) ?? [],
    );
    for (const level of ['avx512f', 'avx2', 'avx', 'sse4_2', 'sse2']) if (flags.has(level)) return level;
  } catch {
    // Not Linux: fall through.
  }
  return 'unknown';
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    simd: simdLevel(),
    node: process.versions.node,
    v8: process.versions.v8,
    platform: process.platform,
    arch: process.arch,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
  };
}
