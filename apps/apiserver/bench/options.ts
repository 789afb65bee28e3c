// Command-line options of the bench, with the defaults the issue asks for: 32 concurrent clients,
// 5 s per phase, 100 watchers, and enough rounds for a median.
import { join } from 'node:path';
import { parseArgs } from 'node:util';

/** Phases on one Redis and one apiserver (the round's own servers). */
export const MAIN_PHASES = ['create', 'get', 'list', 'update', 'fanout', 'clients'] as const;
/** `security` brings its own Redis and two apiservers (see security.ts). */
export const PHASES = [...MAIN_PHASES, 'security'] as const;
export type PhaseName = (typeof PHASES)[number];

export interface BenchOptions {
  rounds: number;
  durationMs: number;
  /** Operations per phase at most, whatever the clock says. */
  maxOps: number;
  concurrency: number;
  watchers: number;
  /** Fan-out runs once per entry: writes the one writer keeps in flight. */
  writerConcurrency: number[];
  /** Longest wait for other processes to go quiet before each measurement (0: do not wait). */
  quietWaitMs: number;
  /** Repeats of a measurement that others contended (the least contended is kept). */
  retries: number;
  warmupMs: number;
  cpuProf: boolean;
  only: Set<PhaseName>;
  out: string;
}

export const USAGE = `usage: tsx bench/main.ts [--rounds N] [--duration-ms MS] [--max-ops N] [--concurrency N]
  [--watchers N] [--writer-concurrency N[,N...]] [--warmup-ms MS] [--quiet-wait-ms MS] [--retries N]
  [--only ${PHASES.join(',')}] [--cpu-prof] [--out FILE]`;

function count(name: string, v: string | undefined, min = 1): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got ${v}`);
  return n;
}

function phases(list: string): Set<PhaseName> {
  const out = new Set<PhaseName>();
  for (const p of list.split(',').filter(Boolean)) {
    if (!(PHASES as readonly string[]).includes(p)) throw new Error(`--only: unknown phase ${p} (know ${PHASES.join(', ')})`);
    out.add(p as PhaseName);
  }
  return out;
}

/** Parses argv; returns undefined when --help was asked for. */
export function parseOptions(argv: string[], benchDir: string): BenchOptions | undefined {
  const { values: f } = parseArgs({
    args: argv,
    options: {
      rounds: { type: 'string', default: '3' },
      'duration-ms': { type: 'string', default: '5000' },
      'max-ops': { type: 'string', default: '300000' },
      concurrency: { type: 'string', default: '32' },
      watchers: { type: 'string', default: '100' },
      // 1 in flight shows delivery latency without queueing; 32 fills the pipe for throughput.
      'writer-concurrency': { type: 'string', default: '1,32' },
      'quiet-wait-ms': { type: 'string', default: '20000' },
      retries: { type: 'string', default: '2' },
      'warmup-ms': { type: 'string', default: '1500' },
      only: { type: 'string', default: PHASES.join(',') },
      'cpu-prof': { type: 'boolean', default: false },
      out: { type: 'string', default: join(benchDir, 'results.json') },
      help: { type: 'boolean', default: false },
    },
  });
  if (f.help) return undefined;
  return {
    rounds: count('rounds', f.rounds),
    durationMs: count('duration-ms', f['duration-ms']),
    maxOps: count('max-ops', f['max-ops']),
    concurrency: count('concurrency', f.concurrency),
    watchers: count('watchers', f.watchers),
    writerConcurrency: (f['writer-concurrency'] ?? '').split(',').map((v) => count('writer-concurrency', v)),
    quietWaitMs: count('quiet-wait-ms', f['quiet-wait-ms'], 0),
    retries: count('retries', f.retries, 0),
    warmupMs: count('warmup-ms', f['warmup-ms']),
    cpuProf: f['cpu-prof'] === true,
    only: phases(f.only ?? ''),
    out: f.out ?? join(benchDir, 'results.json'),
  };
}
