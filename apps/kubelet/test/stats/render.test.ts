// What the kubelet serves from a usage snapshot: Go-formatted Prometheus text for
// /metrics/resource (the exact lines scrapers parse), the stats/v1alpha1 Summary JSON, and the
// join of runtime stats to the kubelet's pods that both start from.
import { describe, expect, it } from 'vitest';
import type { Pod } from '@kite/api-types';
import { runningState, waitingState, type ContainerRecord, type PodRecord } from '../../src/pods/records.js';
import type { ContainerStats } from '@kite/cri';
import { joinPodUsage, podEntriesOf, type PodEntry } from '../../src/stats/pod-usage.js';
import { escapeLabelValue, formatGoFloat, renderFamilies } from '../../src/stats/prom-text.js';
import type { UsageSnapshot } from '../../src/stats/provider.js';
import { renderResourceMetrics } from '../../src/stats/resource-metrics.js';
import { summaryOf } from '../../src/stats/summary.js';

describe('Go float formatting (strconv.FormatFloat g -1)', () => {
  it.each([
    [0, '0'],
    [1, '1'],
    [-1, '-1'],
    [1.5, '1.5'],
    [0.001, '0.001'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [123456, '123456'],
    [999999.5, '999999.5'],
    [1000000, '1e+06'],
    [12345678, '1.2345678e+07'],
    [1.6546476032e9, '1.6546476032e+09'],
    [1.767225601e9, '1.767225601e+09'],
    [1e21, '1e+21'],
    [2.5e-7, '2.5e-07'],
    [Number.NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
  ])('%s → %s', (v, want) => {
    expect(formatGoFloat(v)).toBe(want);
  });

  it.each([
    ['plain', 'plain'],
    ['a"b', 'a\\"b'],
    ['back\\slash', 'back\\\\slash'],
    ['two\nlines', 'two\\nlines'],
  ])('label value %j is escaped', (v, want) => {
    expect(escapeLabelValue(v)).toBe(want);
  });

  it('sorts families by name and samples by label values, and leaves out empty families', () => {
    const text = renderFamilies([
      { name: 'b_total', help: 'B', type: 'counter', samples: [{ labels: { pod: 'y', namespace: 'n' }, value: 2 }, { labels: { namespace: 'n', pod: 'x' }, value: 1, timestampMs: 5.9 }] },
      { name: 'a', help: 'A', type: 'gauge', samples: [] },
    ]);
    expect(text).toBe('# HELP b_total B\n# TYPE b_total counter\nb_total{namespace="n",pod="x"} 1 5\nb_total{namespace="n",pod="y"} 2\n');
  });
});

const T = new Date('2026-01-02T03:04:05.678Z');
const START = new Date('2026-01-02T03:00:00.000Z');

const snapshot: UsageSnapshot = {
  node: { nodeName: 'node-1', startTime: new Date('2026-01-01T00:00:00Z'), cpu: { time: T, usageCoreNanoSeconds: 2345.5e9, usageNanoCores: 1_250_000_000 }, memory: { time: T, workingSetBytes: 1.5e9, usageBytes: 2e9, availableBytes: 6e9 } },
  pods: [
    {
      uid: 'u1',
      namespace: 'default',
      name: 'web',
      startTime: START,
      containers: [
        { id: 'c1', name: 'app', startTime: START, cpu: { time: T, usageCoreNanoSeconds: 1.5e9, usageNanoCores: 1_000_000_000 }, memory: { time: T, workingSetBytes: 12_345_678 } },
        { id: 'c2', name: 'side', startTime: START, cpu: { time: T, usageCoreNanoSeconds: 0.5e9 }, memory: { time: T, workingSetBytes: 1000 } },
      ],
      cpu: { time: T, usageCoreNanoSeconds: 2e9 },
      memory: { time: T, workingSetBytes: 12_346_678 },
    },
  ],
  scrapeError: false,
};

describe('/metrics/resource', () => {
  it('renders Kubernetes resource metrics with ms timestamps', () => {
    const ts = T.getTime();
    const start = START.getTime();
    expect(renderResourceMetrics(snapshot)).toBe(
      [
        '# HELP container_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the container in core-seconds',
        '# TYPE container_cpu_usage_seconds_total counter',
        `container_cpu_usage_seconds_total{container="app",namespace="default",pod="web"} 1.5 ${ts}`,
        `container_cpu_usage_seconds_total{container="side",namespace="default",pod="web"} 0.5 ${ts}`,
        '# HELP container_memory_working_set_bytes [STABLE] Current working set of the container in bytes',
        '# TYPE container_memory_working_set_bytes gauge',
        `container_memory_working_set_bytes{container="app",namespace="default",pod="web"} 1.2345678e+07 ${ts}`,
        `container_memory_working_set_bytes{container="side",namespace="default",pod="web"} 1000 ${ts}`,
        '# HELP container_start_time_seconds [STABLE] Start time of the container since unix epoch in seconds',
        '# TYPE container_start_time_seconds gauge',
        `container_start_time_seconds{container="app",namespace="default",pod="web"} 1.7673228e+09 ${start}`,
        `container_start_time_seconds{container="side",namespace="default",pod="web"} 1.7673228e+09 ${start}`,
        '# HELP node_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the node in core-seconds',
        '# TYPE node_cpu_usage_seconds_total counter',
        `node_cpu_usage_seconds_total 2345.5 ${ts}`,
        '# HELP node_memory_working_set_bytes [STABLE] Current working set of the node in bytes',
        '# TYPE node_memory_working_set_bytes gauge',
        `node_memory_working_set_bytes 1.5e+09 ${ts}`,
        '# HELP pod_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the pod in core-seconds',
        '# TYPE pod_cpu_usage_seconds_total counter',
        `pod_cpu_usage_seconds_total{namespace="default",pod="web"} 2 ${ts}`,
        '# HELP pod_memory_working_set_bytes [STABLE] Current working set of the pod in bytes',
        '# TYPE pod_memory_working_set_bytes gauge',
        `pod_memory_working_set_bytes{namespace="default",pod="web"} 1.2346678e+07 ${ts}`,
        '# HELP resource_scrape_error [STABLE] 1 if there was an error while getting container metrics, 0 otherwise',
        '# TYPE resource_scrape_error gauge',
        'resource_scrape_error 0',
        '# HELP scrape_error [STABLE] (Deprecated since 1.29.0) 1 if there was an error while getting container metrics, 0 otherwise',
        '# TYPE scrape_error gauge',
        'scrape_error 0',
        '',
      ].join('\n'),
    );
  });

  it('reports a runtime that failed as scrape_error 1, and a node without pods', () => {
    const text = renderResourceMetrics({ ...snapshot, pods: [], scrapeError: true });
    expect(text).toContain('\nscrape_error 1\n');
    expect(text).toContain('\nresource_scrape_error 1\n');
    expect(text).not.toContain('container_');
    expect(text).toContain('node_cpu_usage_seconds_total 2345.5');
  });
});

describe('/stats/summary', () => {
  it('is stats/v1alpha1 with whole-second times, rates where known', () => {
    expect(summaryOf(snapshot)).toEqual({
      node: {
        nodeName: 'node-1',
        startTime: '2026-01-01T00:00:00Z',
        cpu: { time: '2026-01-02T03:04:05Z', usageNanoCores: 1_250_000_000, usageCoreNanoSeconds: 2345.5e9 },
        memory: { time: '2026-01-02T03:04:05Z', availableBytes: 6e9, usageBytes: 2e9, workingSetBytes: 1.5e9 },
      },
      pods: [
        {
          podRef: { name: 'web', namespace: 'default', uid: 'u1' },
          startTime: '2026-01-02T03:00:00Z',
          containers: [
            { name: 'app', startTime: '2026-01-02T03:00:00Z', cpu: { time: '2026-01-02T03:04:05Z', usageNanoCores: 1_000_000_000, usageCoreNanoSeconds: 1.5e9 }, memory: { time: '2026-01-02T03:04:05Z', workingSetBytes: 12_345_678 } },
            { name: 'side', startTime: '2026-01-02T03:00:00Z', cpu: { time: '2026-01-02T03:04:05Z', usageCoreNanoSeconds: 0.5e9 }, memory: { time: '2026-01-02T03:04:05Z', workingSetBytes: 1000 } },
          ],
          cpu: { time: '2026-01-02T03:04:05Z', usageCoreNanoSeconds: 2e9 },
          memory: { time: '2026-01-02T03:04:05Z', workingSetBytes: 12_346_678 },
        },
      ],
    });
  });
});

describe('joining container stats to pods', () => {
  const t1 = new Date(1000);
  const t2 = new Date(2000);
  const stat = (id: string, ns: number, bytes: number, at = t1): ContainerStats => ({ id, sandboxId: 'sb', name: `name-of-${id}`, cpu: { timestamp: at, usageCoreNanoSeconds: ns }, memory: { timestamp: at, workingSetBytes: bytes } });
  const entry = (name: string, containers: PodEntry['containers'], startTime?: Date): PodEntry => ({ uid: `uid-${name}`, namespace: 'ns', name, ...(startTime ? { startTime } : {}), containers });

  it.each<{ name: string; entries: PodEntry[]; stats: ContainerStats[]; want: Array<{ pod: string; containers: string[]; cpu: number; memory: number; time: Date }> }>([
    {
      name: 'pod totals are the sums, at the newest reading',
      entries: [entry('a', [{ name: 'x', id: 'c1' }, { name: 'y', id: 'c2' }])],
      stats: [stat('c1', 100, 10), stat('c2', 50, 5, t2)],
      want: [{ pod: 'a', containers: ['x', 'y'], cpu: 150, memory: 15, time: t2 }],
    },
    {
      name: 'the name comes from the pod, not the runtime',
      entries: [entry('a', [{ name: 'web', id: 'c1' }])],
      stats: [stat('c1', 1, 1)],
      want: [{ pod: 'a', containers: ['web'], cpu: 1, memory: 1, time: t1 }],
    },
    {
      name: 'pods without measured containers and stats no pod claims are left out',
      entries: [entry('a', [{ name: 'x', id: 'gone' }]), entry('b', [{ name: 'waiting' }]), entry('c', [{ name: 'x', id: 'c3' }])],
      stats: [stat('c3', 7, 7), stat('stray', 1, 1)],
      want: [{ pod: 'c', containers: ['x'], cpu: 7, memory: 7, time: t1 }],
    },
  ])('$name', ({ entries, stats, want }) => {
    const got = joinPodUsage(entries, stats).map((p) => ({ pod: p.name, containers: p.containers.map((c) => c.name), cpu: p.cpu.usageCoreNanoSeconds, memory: p.memory.workingSetBytes, time: p.cpu.time }));
    expect(got).toEqual(want);
  });

  it('takes start times from the pod status, else the pod start, else the reading', () => {
    const started = new Date(500);
    const podStart = new Date(100);
    const [withStatus, withPod] = [
      joinPodUsage([entry('a', [{ name: 'x', id: 'c1', startedAt: started }], podStart)], [stat('c1', 1, 1)]),
      joinPodUsage([entry('a', [{ name: 'x', id: 'c1' }], podStart)], [stat('c1', 1, 1)]),
    ];
    expect(withStatus[0]?.containers[0]?.startTime).toEqual(started);
    expect(withPod[0]?.containers[0]?.startTime).toEqual(podStart);
    expect(joinPodUsage([entry('a', [{ name: 'x', id: 'c1' }])], [stat('c1', 1, 1)])[0]?.startTime).toEqual(t1);
  });

  it('builds entries from the kubelet records and the pods they run', () => {
    const record: PodRecord = { uid: 'u', key: 'team/web-1', initDone: [], startTime: '2026-01-02T03:00:00Z', containers: new Map<string, ContainerRecord>([['app', { name: 'app', id: 'c1', restartCount: 0, state: { ...runningState(new Date('2026-01-02T03:00:01Z')), started: true, ready: true } }], ['next', { name: 'next', restartCount: 0, state: waitingState('ContainerCreating') }]]) };
    const pod = { metadata: { name: 'web-1', namespace: 'team', uid: 'u' }, status: { containerStatuses: [{ name: 'app', state: { running: { startedAt: '2026-01-02T03:00:01Z' } } }] } } as Pod;
    expect(podEntriesOf([record], (uid) => (uid === 'u' ? pod : undefined))).toEqual([
      { uid: 'u', namespace: 'team', name: 'web-1', startTime: new Date('2026-01-02T03:00:00Z'), containers: [{ name: 'app', id: 'c1', startedAt: new Date('2026-01-02T03:00:01Z') }, { name: 'next' }] },
    ]);
  });
});
