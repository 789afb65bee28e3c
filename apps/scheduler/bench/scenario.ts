// One scheduler_perf-style run: a fresh redis-server and apiserver, N nodes created through the
// API, the scheduler started as its own process, then P pods created with bounded concurrency
// while a watch records when each is bound. Everything is loopback; every wait is bounded. The
// apiserver serves HTTPS: the driver is the cluster admin, the scheduler gets a kubeconfig for
// system:kube-scheduler (so RBAC authorizes its binds); its /metrics stays plain HTTP on loopback.
import { NodeResource, PodResource } from '@kite/api-types';
import { KubeClient, resourcePath } from '@kite/client';
import { ADMIN, SCHEDULER, freePort, startApiServerProcess, startRedis, waitFor, waitHttpOk, type AppProcess } from '@kite/testing';
import { BindTracker } from './bind-tracker.js';
import { KeepAliveWriter } from '../src/http/keepalive-writer.js';
import { createMany } from './load.js';
import { BENCH_NAMESPACE, benchNode, benchPod } from './objects.js';
import { cpuSeconds, findPid, rssMiB } from './proc-stats.js';
import { startSchedulerProcess } from './scheduler-process.js';

export interface ScenarioOptions {
  nodes: number;
  pods: number;
  /** Concurrent creates from the driver. */
  concurrency: number;
  /** Give up on the run after this long. */
  timeoutMs: number;
  /** Extra scheduler flags, e.g. --percentage-of-nodes-to-score. */
  schedulerArgs?: string[];
  /** Create every pod before starting the scheduler (pure scheduling throughput). */
  precreate?: boolean;
  /** Redis AOF fsync policy; the apiserver's default deployment uses everysec. */
  appendfsync?: 'everysec' | 'always' | 'no';
}

export interface ScenarioResult {
  nodes: number;
  pods: number;
  mode: 'concurrent' | 'precreated';
  /** Pods created per second by the driver. */
  createRate: number;
  /** Pods bound per second: pods / (last bound − first create, or scheduler start when precreated). */
  podsPerSecond: number;
  /** Per-second samples of bindings while the run was busy. */
  perSecond: { avg: number; p50: number; p90: number };
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  /** CPU seconds per process over the measured phase, and the phase's wall time. */
  cpu: Record<'apiserver' | 'redis' | 'scheduler' | 'driver', number>;
  wallSeconds: number;
  scheduler: { attemptMeanMs: number; bindMeanMs: number; rssMiB: number };
  /** Mean server-side latency (ms) and count per verb and resource, over the whole run. */
  apiserver?: Record<string, { count: number; meanMs: number }>;
}

/** Server-side watch history large enough that no watcher of the run falls out of it. */
const WATCH_HISTORY = 200_000;

export async function runScenario(o: ScenarioOptions): Promise<ScenarioResult> {
  const redis = await startRedis({ appendfsync: o.appendfsync ?? 'everysec' });
  let api: Awaited<ReturnType<typeof startApiServerProcess>> | undefined;
  let sched: AppProcess | undefined;
  let writer: KeepAliveWriter | undefined;
  try {
    api = await startApiServerProcess(redis.url, ['--watch-history', String(WATCH_HISTORY)]);
    const apiserver = api;
    const admin = await apiserver.connection(ADMIN);
    const kube = new KubeClient({ ...admin, userAgent: 'kite-scheduler-bench' });
    const podsApi = kube.resource(PodResource);
    await createMany(o.nodes, o.concurrency, (i) => kube.resource(NodeResource).create(benchNode(i)));
    const startRv = (await podsApi.list({ namespace: BENCH_NAMESPACE, limit: 1 })).metadata.resourceVersion ?? '0';
    const tracker = new BindTracker(podsApi, BENCH_NAMESPACE);
    tracker.start(startRv);

    const sent = new Map<string, number>();
    // Creates go through the scheduler's own node:https keep-alive writer: the driver should not be
    // what limits the run (fetch costs about four times the CPU per POST).
    writer = new KeepAliveWriter({ server: admin.server, userAgent: 'kite-scheduler-bench', tls: admin.tls });
    const poster = writer;
    const podsPath = resourcePath(PodResource, { namespace: BENCH_NAMESPACE });
    const createPods = async () => {
      const t0 = performance.now();
      await createMany(o.pods, o.concurrency, (i) => {
        const pod = benchPod(i);
        sent.set(pod.metadata.name ?? '', performance.now());
        return poster.post(podsPath, pod);
      });
      return o.pods / ((performance.now() - t0) / 1000);
    };
    const startScheduler = async () => {
      const port = await freePort();
      const kubeconfig = await apiserver.kubeconfig(SCHEDULER);
      sched = startSchedulerProcess(['--kubeconfig', kubeconfig, '--port', String(port), '--leader-elect=false', ...(o.schedulerArgs ?? [])], { LOG_LEVEL: 'warn' });
      await waitHttpOk(`http://127.0.0.1:${port}/readyz`, sched, 120_000);
      return port;
    };

    let createRate = 0;
    let port = 0;
    const schedulerPid = () => (sched as AppProcess | undefined)?.child.pid ?? 0;
    if (o.precreate) {
      createRate = await createPods();
      // Pods wait unscheduled; the clock starts when the scheduler starts.
    } else {
      port = await startScheduler();
      await waitNodesCached(port, o.nodes);
    }
    const pids = { apiserver: api.child.pid ?? 0, redis: findPid('redis-server', `:${redis.port}`) ?? 0 };
    const snapshot = () => ({ apiserver: cpuSeconds(pids.apiserver), redis: cpuSeconds(pids.redis), scheduler: cpuSeconds(schedulerPid()), driver: process.cpuUsage() });
    let cpu0 = snapshot();
    let tStart = performance.now();
    if (o.precreate) {
      // The clock starts when the scheduler is ready (its caches are synced and it starts
      // popping pods): start-up listing is not scheduling.
      port = await startScheduler();
      tStart = Math.min(performance.now(), ...tracker.boundAt.values());
      cpu0 = snapshot();
    } else {
      createRate = await createPods();
    }
    await tracker.waitFor(o.pods, o.timeoutMs);
    const tEnd = performance.now();
    const cpu1 = snapshot();
    const driverCpu = process.cpuUsage(cpu0.driver);
    const cpu = {
      apiserver: cpu1.apiserver - cpu0.apiserver,
      redis: cpu1.redis - cpu0.redis,
      scheduler: cpu1.scheduler - cpu0.scheduler,
      driver: (driverCpu.user + driverCpu.system) / 1e6,
    };
    const schedPid = schedulerPid();
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const apiMetrics = await (await (await api.fetcher(ADMIN))(`${api.url}/metrics`)).text();
    await tracker.stop();
    return { ...summarise(o, tracker.boundAt, sent, { tStart, tEnd, createRate, cpu, metrics, schedRss: rssMiB(schedPid) }), apiserver: apiserverLatencies(apiMetrics) };
  } finally {
    writer?.close();
    await (sched as AppProcess | undefined)?.stop();
    await api?.stop();
    await redis.destroy();
  }
}

/** Waits until the scheduler's cache holds every node, so the measured phase starts warm. */
async function waitNodesCached(port: number, nodes: number): Promise<void> {
  await waitFor(async () => histogramLine(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text(), 'scheduler_cache_size{type="nodes"') >= nodes, {
    timeoutMs: 120_000,
    intervalMs: 100,
    message: 'scheduler cache to hold every node',
  });
}

function histogramLine(text: string, prefix: string): number {
  const line = text.split('\n').find((l) => l.startsWith(prefix));
  return line ? Number(line.split(' ').pop()) : NaN;
}

interface Timing {
  tStart: number;
  tEnd: number;
  createRate: number;
  cpu: ScenarioResult['cpu'];
  metrics: string;
  schedRss: number;
}

function summarise(o: ScenarioOptions, boundAt: Map<string, number>, sent: Map<string, number>, t: Timing): ScenarioResult {
  const latencies: number[] = [];
  for (const [name, at] of boundAt) {
    const s = sent.get(name);
    if (s !== undefined) latencies.push(at - Math.max(s, o.precreate ? t.tStart : s));
  }
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  const wall = (t.tEnd - t.tStart) / 1000;
  const mean = (name: string) => (histogramLine(t.metrics, `${name}_sum`) / histogramLine(t.metrics, `${name}_count`)) * 1000;
  return {
    nodes: o.nodes,
    pods: o.pods,
    mode: o.precreate ? 'precreated' : 'concurrent',
    createRate: t.createRate,
    podsPerSecond: o.pods / wall,
    perSecond: perSecondSamples([...boundAt.values()]),
    latencyMs: { p50: pct(50), p90: pct(90), p99: pct(99), max: latencies[latencies.length - 1] ?? NaN },
    cpu: t.cpu,
    wallSeconds: wall,
    scheduler: {
      attemptMeanMs: mean('scheduler_scheduling_attempt_duration_seconds'),
      bindMeanMs: mean('scheduler_binding_duration_seconds'),
      rssMiB: t.schedRss,
    },
  };
}

/** Bindings per whole second between the first and the last binding (scheduler_perf's throughput samples). */
function perSecondSamples(times: number[]): ScenarioResult['perSecond'] {
  if (times.length === 0) return { avg: 0, p50: 0, p90: 0 };
  const first = Math.min(...times);
  const buckets = new Map<number, number>();
  for (const at of times) {
    const b = Math.floor((at - first) / 1000);
    buckets.set(b, (buckets.get(b) ?? 0) + 1);
  }
  const last = Math.max(...buckets.keys());
  const samples = Array.from({ length: last + 1 }, (_, i) => buckets.get(i) ?? 0);
  // The final second is partial: leave it out unless it is the only one.
  const full = samples.length > 1 ? samples.slice(0, -1) : samples;
  const sorted = [...full].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  return { avg: full.reduce((s, x) => s + x, 0) / full.length, p50: at(50), p90: at(90) };
}

/** `verb resource` → count and mean of apiserver_request_duration_seconds. */
function apiserverLatencies(text: string): Record<string, { count: number; meanMs: number }> {
  const sums = new Map<string, { sum: number; count: number }>();
  for (const line of text.split('\n')) {
    const m = /^apiserver_request_duration_seconds_(sum|count)\{([^}]*)\} (\S+)/.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    const key = `${labels.verb ?? ''} ${labels.resource ?? ''}`;
    const e = sums.get(key) ?? { sum: 0, count: 0 };
    if (m[1] === 'sum') e.sum += Number(m[3]);
    else e.count += Number(m[3]);
    sums.set(key, e);
  }
  return Object.fromEntries([...sums].filter(([, e]) => e.count > 0).map(([k, e]) => [k, { count: e.count, meanMs: Math.round((e.sum / e.count) * 1e5) / 100 }]));
}
