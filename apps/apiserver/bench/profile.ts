// Summarises a V8 .cpuprofile (from `node --cpu-prof` on the apiserver process): where the
// samples fell by area (our code, each npm package, Node internals, GC) and the hottest functions
// by self and by inclusive time, which is what a performance report needs.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface HotSpot {
  name: string;
  ms: number;
  percent: number;
}

/** GC pauses over the profiled interval, as the apiserver's PerformanceObserver saw them. */
export interface GcSummary {
  count: number;
  totalMs: number;
  maxMs: number;
  /** Major (mark-compact) collections: the long pauses. */
  major: number;
  majorMaxMs: number;
}

export interface ProfileSummary {
  gc?: GcSummary;
  totalMs: number;
  /** Time outside (idle), so `busy` is what the process actually spent. */
  busyMs: number;
  byArea: HotSpot[];
  bySelf: HotSpot[];
  /** Inclusive time of our own functions (apps/ and packages/), to see which step costs what. */
  byInclusive: HotSpot[];
}

/** Which part of the program a frame belongs to: a package, a Node internal, or our own files. */
function areaOf(f: CallFrame): string {
  if (!f.url) return f.functionName.startsWith('(') ? f.functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f.url);
  if (pkg?.[1]) return pkg[1];
  const kite = /\/(apps|packages)\/([^/]+)\/(?:dist|src)\/(.+?)\.[jt]s$/.exec(f.url);
  if (kite) return kite[1] === 'packages' ? `@kite/${kite[2]}` : `${kite[2]}/${kite[3]}`;
  if (f.url.startsWith('node:')) return f.url.split('/')[0] ?? f.url;
  return f.url;
}

function isKite(f: CallFrame): boolean {
  return /\/(apps|packages)\/[^/]+\/(dist|src)\//.test(f.url) && !f.url.includes('node_modules');
}

function frameName(f: CallFrame): string {
  const file = f.url ? f.url.replace(/^.*\/(node_modules|apps|packages)\//, '').replace(/^file:\/\//, '') : '';
  return `${f.functionName || '(anonymous)'}${file ? ` ${file}:${f.lineNumber + 1}` : ''}`;
}

function top(map: Map<string, number>, busyMs: number, n: number): HotSpot[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, us]) => ({ name, ms: Math.round(us / 1000), percent: Math.round((us / 1000 / busyMs) * 1000) / 10 }));
}

function add(map: Map<string, number>, key: string, us: number): void {
  map.set(key, (map.get(key) ?? 0) + us);
}

export function summarizeProfile(path: string, n = 15): ProfileSummary {
  const p = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of p.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));

  const area = new Map<string, number>();
  const selfFn = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of self) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    totalUs += us;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    add(area, areaOf(frame), us);
    add(selfFn, frameName(frame), us);
    // Inclusive: every distinct function on the stack gets the sample once (recursion counted once).
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)?.callFrame;
      if (!f || !isKite(f)) continue;
      const key = frameName(f);
      if (!seen.has(key)) {
        seen.add(key);
        add(inclusive, key, us);
      }
    }
  }
  const busyMs = Math.max(1, (totalUs - idleUs) / 1000);
  return { totalMs: Math.round(totalUs / 1000), busyMs: Math.round(busyMs), byArea: top(area, busyMs, n), bySelf: top(selfFn, busyMs, n), byInclusive: top(inclusive, busyMs, n) };
}

/** perf_hooks.constants.NODE_PERFORMANCE_GC_MAJOR: a major (mark-compact) collection. */
const GC_MAJOR = 4;

interface GcPause {
  kind: number;
  ms: number;
}

function summarizeGc(path: string): GcSummary | undefined {
  if (!existsSync(path)) return undefined;
  const pauses = JSON.parse(readFileSync(path, 'utf8')) as GcPause[];
  const major = pauses.filter((p) => p.kind === GC_MAJOR);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    count: pauses.length,
    totalMs: round(pauses.reduce((t, p) => t + p.ms, 0)),
    maxMs: round(Math.max(0, ...pauses.map((p) => p.ms))),
    major: major.length,
    majorMaxMs: round(Math.max(0, ...major.map((p) => p.ms))),
  };
}

export function formatProfile(s: ProfileSummary): string {
  const list = (title: string, xs: HotSpot[]) => [title, ...xs.map((x) => `  ${String(x.percent).padStart(5)}%  ${String(x.ms).padStart(6)} ms  ${x.name}`)].join('\n');
  const gc = s.gc ? `; GC pauses: ${s.gc.count} (${s.gc.totalMs} ms, longest ${s.gc.maxMs} ms), ${s.gc.major} major (longest ${s.gc.majorMaxMs} ms)` : '';
  return [
    `apiserver CPU profile: ${s.busyMs} ms busy of ${s.totalMs} ms sampled${gc}`,
    list('by area (self time):', s.byArea),
    list('hottest functions (self time):', s.bySelf),
    list('our functions (inclusive time):', s.byInclusive),
  ].join('\n');
}

/** How long to wait for the apiserver to write a profile after the stop signal. */
const PROFILE_WRITE_TIMEOUT_MS = 15_000;

export interface LabelledProfile {
  label: string;
  summary: ProfileSummary;
}

/**
 * Drives cpu-profile-preload.mjs in the apiserver child: `around` signals it to start profiling,
 * runs the phase, signals it to stop, waits for the file and summarises it. Profiles are numbered
 * in the order taken, which is how a file is matched to its label.
 */
export class PhaseProfiler {
  private taken = 0;
  readonly profiles: LabelledProfile[] = [];

  constructor(
    private readonly pid: number,
    private readonly dir: string,
  ) {}

  async around<T>(label: string, phase: () => Promise<T>): Promise<T> {
    process.kill(this.pid, 'SIGUSR2');
    // The child handles the signal on its next turn of the event loop; give it that turn.
    await new Promise((r) => setTimeout(r, 20));
    try {
      return await phase();
    } finally {
      process.kill(this.pid, 'SIGUSR2');
      const file = join(this.dir, `${this.pid}-${this.taken++}.cpuprofile`);
      const deadline = performance.now() + PROFILE_WRITE_TIMEOUT_MS;
      while (!existsSync(file) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      if (existsSync(file)) {
        const gc = summarizeGc(file.replace(/\.cpuprofile$/, '.gc.json'));
        this.profiles.push({ label, summary: { ...summarizeProfile(file), ...(gc ? { gc } : {}) } });
      }
    }
  }
}

/** Runs `phase` under the profiler when there is one. */
export function profiled<T>(profiler: PhaseProfiler | undefined, label: string, phase: () => Promise<T>): Promise<T> {
  return profiler ? profiler.around(label, phase) : phase();
}
