// Shared pieces of the per-kind columns: the Column contract, and the formatting helpers that make
// cells read as `kubectl get` prints them for Kubernetes (HumanDuration ages, `<none>` for empty,
// long lists cut to a few entries with "+ N more...").
import type { KubeObject, LabelSelector } from '@kite/api-types';
import { labelSelectorToString } from '@kite/apimachinery';

/**
 * One column of a kind's table. `value` computes the cell from a stored object of that kind; it
 * must not throw on a sparse object (no status yet). Wide-only columns (`-o wide`) have priority 1.
 */
export interface Column<T = KubeObject> {
  name: string;
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;
  description?: string;
  priority?: number;
  value: (obj: T) => string | number | boolean;
}

/**
 * The table dispatches by kind, so the columns of kind K only ever see objects of kind K: this is
 * the one place where typed columns are widened to the registry's KubeObject.
 */
export function kindColumns<T extends KubeObject>(columns: ReadonlyArray<Column<T>>): Column[] {
  return columns as unknown as Column[];
}

/** What Kubernetes prints for a missing value. */
export const NONE = '<none>';
/** What Kubernetes prints for an unknown one. */
export const UNKNOWN = '<unknown>';
/** Entries a list cell shows before "+ N more...". */
export const MAX_LIST_ENTRIES = 3;

/**
 * Kubernetes' HumanDuration: exact seconds below 2 minutes, then coarser units so a column stays
 * narrow: 45s, 5m10s, 42m, 3h20m, 17h, 2d3h, 40d, 3y12d, 9y. More than a second in the future
 * (clock skew) is `<invalid>`.
 */
export function humanDuration(seconds: number): string {
  if (seconds < -1) return '<invalid>';
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
  const y = Math.floor(d / 365);
  if (y < 8) return d % 365 === 0 ? `${y}y` : `${y}y${d % 365}d`;
  return `${y}y`;
}

/** Time since an RFC 3339 timestamp, or `fallback` when there is none. */
export function since(timestamp: string | null | undefined, fallback = UNKNOWN): string {
  if (!timestamp) return fallback;
  const t = Date.parse(timestamp);
  return Number.isNaN(t) ? fallback : humanDuration((Date.now() - t) / 1000);
}

export function age(obj: KubeObject): string {
  return since(obj.metadata.creationTimestamp);
}

/** A value, or `fallback` when it is missing or empty. */
export function orNone(v: string | number | undefined | null, fallback = NONE): string {
  return v === undefined || v === null || v === '' ? fallback : String(v);
}

/** The first `MAX_LIST_ENTRIES` entries joined by commas, then "+ N more...", or `empty`. */
export function truncatedList(entries: readonly string[], empty = NONE): string {
  if (entries.length === 0) return empty;
  const shown = entries.slice(0, MAX_LIST_ENTRIES).join(',');
  return entries.length > MAX_LIST_ENTRIES ? `${shown} + ${entries.length - MAX_LIST_ENTRIES} more...` : shown;
}

/** `a=1,b=2` in key order, as Kubernetes prints a map selector; `<none>` when empty. */
export function formatLabels(labels: Readonly<Record<string, string>> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length === 0 ? NONE : keys.map((k) => `${k}=${labels?.[k] ?? ''}`).join(',');
}

/** A label selector in its string form (`app=web,tier in (fe)`); `<none>` when empty. */
export function formatSelector(selector: LabelSelector | undefined): string {
  return orNone(selector ? labelSelectorToString(selector) : '');
}

export const nameColumn: Column = { name: 'Name', format: 'name', description: 'Name must be unique within a namespace.', value: (o) => o.metadata.name ?? '' };
export const ageColumn: Column = { name: 'Age', description: 'Time since the object was created.', value: age };

/** The containers and images columns of workloads (Deployment, ReplicaSet, StatefulSet, Job). */
export function templateColumns<T>(containers: (o: T) => ReadonlyArray<{ name: string; image?: string | undefined }>): Array<Column<T>> {
  return [
    { name: 'Containers', priority: 1, description: 'Names of each container in the template.', value: (o) => containers(o).map((c) => c.name).join(',') },
    { name: 'Images', priority: 1, description: 'Images referenced by each container in the template.', value: (o) => containers(o).map((c) => c.image ?? '').join(',') },
  ];
}
