// Columns `kubectl get` shows per kind, following Kubernetes' printers
// (pkg/printers/internalversion). Wide-only columns carry priority 1.
import type { KubeObject } from '@kite/api-types';

export interface Column {
  name: string;
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;
  description?: string;
  priority?: number;
  value: (obj: KubeObject) => string | number | boolean;
}

/** Kubernetes' HumanDuration: 45s, 5m10s, 3h, 2d3h, 400d. */
export function humanDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 365 * 2) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

export function age(obj: KubeObject): string {
  const ts = obj.metadata.creationTimestamp;
  if (!ts) return '<unknown>';
  return humanDuration((Date.now() - Date.parse(ts)) / 1000);
}

const nameColumn: Column = { name: 'Name', format: 'name', description: 'Name must be unique within a namespace.', value: (o) => o.metadata.name ?? '' };
const ageColumn: Column = { name: 'Age', description: 'Time since the object was created.', value: age };

type Loose = Record<string, unknown>;
const field = (obj: KubeObject, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Loose)[k] : undefined), obj);
const str = (v: unknown, fallback = '<none>'): string => (v === undefined || v === null || v === '' ? fallback : String(v));

interface ContainerStatusLike {
  ready?: boolean;
  restartCount?: number;
  state?: { waiting?: { reason?: string }; terminated?: { reason?: string; exitCode?: number; signal?: number } };
  lastState?: { terminated?: { finishedAt?: string } };
}

/** The STATUS column of a pod, as kubectl shows it: a waiting or terminated reason beats the phase. */
export function podStatusReason(pod: KubeObject): string {
  const status = (field(pod, 'status') ?? {}) as { phase?: string; reason?: string; containerStatuses?: ContainerStatusLike[] };
  let reason = status.reason ?? status.phase ?? 'Unknown';
  for (const cs of status.containerStatuses ?? []) {
    if (cs.state?.waiting?.reason) reason = cs.state.waiting.reason;
    else if (cs.state?.terminated?.reason) reason = cs.state.terminated.reason;
    else if (cs.state?.terminated) reason = cs.state.terminated.signal ? `Signal:${cs.state.terminated.signal}` : `ExitCode:${cs.state.terminated.exitCode ?? 0}`;
  }
  if (pod.metadata.deletionTimestamp) reason = 'Terminating';
  return reason;
}

function podColumns(): Column[] {
  const statuses = (o: KubeObject) => ((field(o, 'status.containerStatuses') ?? []) as ContainerStatusLike[]);
  const containers = (o: KubeObject) => ((field(o, 'spec.containers') ?? []) as unknown[]);
  return [
    nameColumn,
    { name: 'Ready', description: 'The aggregate readiness state of this pod for accepting traffic.', value: (o) => `${statuses(o).filter((c) => c.ready).length}/${containers(o).length}` },
    { name: 'Status', description: 'The aggregate status of the containers in this pod.', value: podStatusReason },
    { name: 'Restarts', type: 'string', description: 'The number of times the containers in this pod have been restarted.', value: (o) => String(statuses(o).reduce((n, c) => n + (c.restartCount ?? 0), 0)) },
    ageColumn,
    { name: 'IP', priority: 1, description: 'IP address allocated to the pod.', value: (o) => str(field(o, 'status.podIP')) },
    { name: 'Node', priority: 1, description: 'Name of the Node this pod is assigned to.', value: (o) => str(field(o, 'spec.nodeName')) },
    { name: 'Nominated Node', priority: 1, description: 'Name of the Node nominated for this pod.', value: (o) => str(field(o, 'status.nominatedNodeName')) },
    { name: 'Readiness Gates', priority: 1, description: 'Readiness gates of this pod.', value: () => '<none>' },
  ];
}

const byKind: Record<string, () => Column[]> = {
  Pod: podColumns,
  Namespace: () => [nameColumn, { name: 'Status', value: (o) => str(field(o, 'status.phase'), 'Active') }, ageColumn],
  ConfigMap: () => [nameColumn, { name: 'Data', type: 'integer', value: (o) => Object.keys((field(o, 'data') ?? {}) as object).length + Object.keys((field(o, 'binaryData') ?? {}) as object).length }, ageColumn],
};

/** Registers or replaces the columns of a kind. */
export function registerColumns(kind: string, columns: () => Column[]): void {
  byKind[kind] = columns;
}

export function columnsFor(kind: string): Column[] {
  return (byKind[kind] ?? (() => [nameColumn, ageColumn]))();
}
