// The kubelet's /metrics/resource (Kubernetes' resource metrics endpoint, KEP 727): the few
// metrics metrics-server needs, with Kubernetes' names, help texts and labels. Every usage sample
// carries its reading's time in ms, so a scraper computes rates over the interval the readings
// really span; container_start_time_seconds carries the start time itself, as in Kubernetes.
//   node_cpu_usage_seconds_total 2345.67 1700000000123
//   container_memory_working_set_bytes{container="web",namespace="default",pod="web-1"} 1.2e+07 1700000000123
// resource_scrape_error is 1 when a runtime could not report; scrape_error is its deprecated
// name (Kubernetes 1.29 renamed it), still served for scrapers that read the old one.
import { renderFamilies, type Family, type Sample } from './prom-text.js';
import type { UsageSnapshot } from './provider.js';

const NS_PER_SECOND = 1e9;
const MS_PER_SECOND = 1000;
const SCRAPE_ERROR_HELP = '1 if there was an error while getting container metrics, 0 otherwise';

const seconds = (ns: number) => ns / NS_PER_SECOND;

export function renderResourceMetrics(snapshot: UsageSnapshot): string {
  const { node, pods } = snapshot;
  const containerCpu: Sample[] = [];
  const containerMemory: Sample[] = [];
  const containerStart: Sample[] = [];
  const podCpu: Sample[] = [];
  const podMemory: Sample[] = [];
  for (const pod of pods) {
    const podLabels = { namespace: pod.namespace, pod: pod.name };
    podCpu.push({ labels: podLabels, value: seconds(pod.cpu.usageCoreNanoSeconds), timestampMs: pod.cpu.time.getTime() });
    podMemory.push({ labels: podLabels, value: pod.memory.workingSetBytes, timestampMs: pod.memory.time.getTime() });
    for (const c of pod.containers) {
      const labels = { container: c.name, ...podLabels };
      containerCpu.push({ labels, value: seconds(c.cpu.usageCoreNanoSeconds), timestampMs: c.cpu.time.getTime() });
      containerMemory.push({ labels, value: c.memory.workingSetBytes, timestampMs: c.memory.time.getTime() });
      containerStart.push({ labels, value: c.startTime.getTime() / MS_PER_SECOND, timestampMs: c.startTime.getTime() });
    }
  }
  const error = snapshot.scrapeError ? 1 : 0;
  const families: Family[] = [
    { name: 'container_cpu_usage_seconds_total', type: 'counter', help: '[STABLE] Cumulative cpu time consumed by the container in core-seconds', samples: containerCpu },
    { name: 'container_memory_working_set_bytes', type: 'gauge', help: '[STABLE] Current working set of the container in bytes', samples: containerMemory },
    { name: 'container_start_time_seconds', type: 'gauge', help: '[STABLE] Start time of the container since unix epoch in seconds', samples: containerStart },
    { name: 'node_cpu_usage_seconds_total', type: 'counter', help: '[STABLE] Cumulative cpu time consumed by the node in core-seconds', samples: [{ labels: {}, value: seconds(node.cpu.usageCoreNanoSeconds), timestampMs: node.cpu.time.getTime() }] },
    { name: 'node_memory_working_set_bytes', type: 'gauge', help: '[STABLE] Current working set of the node in bytes', samples: [{ labels: {}, value: node.memory.workingSetBytes, timestampMs: node.memory.time.getTime() }] },
    { name: 'pod_cpu_usage_seconds_total', type: 'counter', help: '[STABLE] Cumulative cpu time consumed by the pod in core-seconds', samples: podCpu },
    { name: 'pod_memory_working_set_bytes', type: 'gauge', help: '[STABLE] Current working set of the pod in bytes', samples: podMemory },
    { name: 'resource_scrape_error', type: 'gauge', help: `[STABLE] ${SCRAPE_ERROR_HELP}`, samples: [{ labels: {}, value: error }] },
    { name: 'scrape_error', type: 'gauge', help: `[STABLE] (Deprecated since 1.29.0) ${SCRAPE_ERROR_HELP}`, samples: [{ labels: {}, value: error }] },
  ];
  return renderFamilies(families);
}
