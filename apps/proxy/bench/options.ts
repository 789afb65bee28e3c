// Benchmark options, from the command line (`npm run bench -w @kite/proxy -- --rounds 1`).
import { parseArgs } from 'node:util';
import { join } from 'node:path';

export interface BenchOptions {
  /** Rounds; each measures every target once, in a rotated order. Medians are reported. */
  rounds: number;
  /** Saturation phase: autocannon with this many connections for this long. */
  connections: number;
  durationMs: number;
  /** Latency phase: an open-loop client at this request rate per target (interleaved) for this long. */
  rate: number;
  probeMs: number;
  warmupMs: number;
  /** Longest wait before each measurement for other processes to leave the cores alone. */
  quietWaitMs: number;
  out: string;
}

export const USAGE = `usage: bench [--rounds N] [--connections N] [--duration-ms MS] [--rate RPS] [--probe-ms MS] [--warmup-ms MS] [--quiet-wait-ms MS] [--out FILE]`;

const DEFAULTS = { rounds: 3, connections: 32, durationMs: 5000, rate: 200, probeMs: 4000, warmupMs: 2000, quietWaitMs: 10_000 };
/** Upper bounds, so a typo cannot start an endless run. */
const MAX = { rounds: 10, connections: 512, durationMs: 60_000, rate: 5000, probeMs: 60_000, warmupMs: 30_000, quietWaitMs: 120_000 };

function num(name: keyof typeof DEFAULTS, v: string | undefined): number {
  if (v === undefined) return DEFAULTS[name];
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0 || n > MAX[name]) throw new Error(`--${name} must be an integer in 1..${MAX[name]}\n${USAGE}`);
  return n;
}

export function parseOptions(argv: string[], benchDir: string): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      rounds: { type: 'string' },
      connections: { type: 'string' },
      'duration-ms': { type: 'string' },
      rate: { type: 'string' },
      'probe-ms': { type: 'string' },
      'warmup-ms': { type: 'string' },
      'quiet-wait-ms': { type: 'string' },
      out: { type: 'string' },
    },
  });
  return {
    rounds: num('rounds', values.rounds),
    connections: num('connections', values.connections),
    durationMs: num('durationMs', values['duration-ms']),
    rate: num('rate', values.rate),
    probeMs: num('probeMs', values['probe-ms']),
    warmupMs: num('warmupMs', values['warmup-ms']),
    quietWaitMs: num('quietWaitMs', values['quiet-wait-ms']),
    out: values.out ?? join(benchDir, 'results.json'),
  };
}
