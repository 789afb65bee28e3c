// metrics.k8s.io/v1beta1: NodeMetrics and PodMetrics computed from the resource store on every
// request (the ComputedStorage of their `readOnly` registry entries). As metrics-server serves
// them: objects carry the name, namespace and labels of the Node or Pod they describe (the
// labelSelector and fieldSelector are matched against that Node or Pod), creationTimestamp is
// the time of the answer, and a Node or Pod that is gone, or has no two readings yet, has no
// metrics: a get answers 404 (`podmetrics.metrics.k8s.io "NS/NAME" not found`), a list leaves it out.
// A pod that is not Running has none either (the kubelet may still report a container that is
// terminating), as metrics-server leaves out pods it would not count.
import { METRICS_GROUP, type KubeList, type KubeObject, type NodeMetrics, type PodMetrics, type ResourceType } from '@kite/api-types';
import { notFound } from '@kite/apimachinery';
import type { ComputedStorage } from '../registry/computed.js';
import type { Predicate } from '../registry/selection.js';
import type { ClusterObjects } from './object-cache.js';
import { cpuQuantity, goDuration, memoryQuantity } from './quantities.js';
import type { ResourceMetricsStore, Usage, UsageWindow } from './resource-store.js';

const API_VERSION = `${METRICS_GROUP}/v1beta1` as const;
/** The resource names metrics-server's NotFound errors use. */
const NODE_METRICS = { group: METRICS_GROUP, plural: 'nodemetrics' };
const POD_METRICS = { group: METRICS_GROUP, plural: 'podmetrics' };
/** The only pod phase that has metrics. */
const RUNNING = 'Running';

/** RFC 3339 at second precision, as metav1.Time serializes. */
export const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const usageList = (u: Usage) => ({ cpu: cpuQuantity(u.cpu), memory: memoryQuantity(u.memoryBytes) });

function metadataOf(obj: KubeObject, nowMs: number): KubeObject['metadata'] {
  const { name, namespace, labels } = obj.metadata;
  return { name, ...(namespace ? { namespace } : {}), ...(labels ? { labels: { ...labels } } : {}), creationTimestamp: rfc3339(nowMs) };
}

const windowOf = (w: UsageWindow) => ({ timestamp: rfc3339(w.timestampMs), window: goDuration(w.windowMs) });

const byKey = (a: KubeObject, b: KubeObject) =>
  (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');

export class ResourceMetricsApi implements ComputedStorage {
  constructor(
    private readonly objects: ClusterObjects,
    private readonly store: ResourceMetricsStore,
    private readonly now: () => number = Date.now,
  ) {}

  get(rt: ResourceType, namespace: string | undefined, name: string): KubeObject {
    if (rt.kind === 'NodeMetrics') {
      const node = this.objects.nodes.get('', name);
      const m = node && this.nodeMetrics(node);
      if (!m) throw notFound(NODE_METRICS, name);
      return m;
    }
    const ns = namespace ?? '';
    const pod = this.objects.pods.get(ns, name);
    const m = pod && this.podMetrics(pod);
    if (!m) throw notFound(POD_METRICS, `${ns}/${name}`);
    return m;
  }

  list(rt: ResourceType, namespace: string | undefined, predicate: Predicate | undefined): KubeList<KubeObject> {
    const admit = predicate ?? (() => true);
    const items: KubeObject[] = [];
    if (rt.kind === 'NodeMetrics') {
      for (const node of this.objects.nodes.list('')) if (admit(node)) push(items, this.nodeMetrics(node));
    } else {
      for (const pod of this.objects.pods.list(namespace)) if (admit(pod)) push(items, this.podMetrics(pod));
    }
    return { apiVersion: API_VERSION, kind: `${rt.kind}List`, metadata: {}, items: items.sort(byKey) };
  }

  private nodeMetrics(node: KubeObject): NodeMetrics | undefined {
    const u = this.store.node(node.metadata.name ?? '');
    if (!u) return undefined;
    return { apiVersion: API_VERSION, kind: 'NodeMetrics', metadata: metadataOf(node, this.now()), ...windowOf(u), usage: usageList(u.usage) };
  }

  private podMetrics(pod: KubeObject): PodMetrics | undefined {
    if ((pod as { status?: { phase?: string } }).status?.phase !== RUNNING) return undefined;
    const u = this.store.pod(pod.metadata.namespace ?? '', pod.metadata.name ?? '');
    if (!u) return undefined;
    const containers = u.containers.map((c) => ({ name: c.name, usage: usageList(c.usage) }));
    return { apiVersion: API_VERSION, kind: 'PodMetrics', metadata: metadataOf(pod, this.now()), ...windowOf(u), containers };
  }
}

function push(items: KubeObject[], obj: KubeObject | undefined): void {
  if (obj) items.push(obj);
}
