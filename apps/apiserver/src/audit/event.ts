// The audit Event (audit.k8s.io/v1 Event) as Kubernetes writes it, one JSON object per line.
import type { Level, Stage } from './policy.js';

export interface AuditUser {
  username: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

export interface ObjectReference {
  resource?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiGroup?: string;
  apiVersion?: string;
  resourceVersion?: string;
  subresource?: string;
}

export interface ResponseStatus {
  metadata: Record<string, never>;
  status?: string;
  message?: string;
  reason?: string;
  details?: unknown;
  code: number;
}

export interface AuditEvent {
  kind: 'Event';
  apiVersion: 'audit.k8s.io/v1';
  level: Exclude<Level, 'None'>;
  auditID: string;
  stage: Stage;
  requestURI: string;
  verb: string;
  user: AuditUser;
  impersonatedUser?: AuditUser;
  sourceIPs: string[];
  userAgent?: string;
  objectRef?: ObjectReference;
  responseStatus?: ResponseStatus;
  requestObject?: unknown;
  responseObject?: unknown;
  requestReceivedTimestamp: string;
  stageTimestamp: string;
  annotations?: Record<string, string>;
}

/** Now, as metav1.MicroTime: RFC 3339 with microseconds, as Kubernetes prints audit timestamps. */
export function microNow(): string {
  const t = performance.timeOrigin + performance.now();
  const ms = Math.floor(t);
  const micros = Math.floor((t - ms) * 1000);
  return new Date(ms).toISOString().replace(/Z$/, `${String(micros).padStart(3, '0')}Z`);
}

/** Removes metadata.managedFields from an object (or each item of a list), for omitManagedFields. */
export function withoutManagedFields(obj: unknown): unknown {
  if (!obj || typeof obj !== 'object') return obj;
  const o = obj as { metadata?: Record<string, unknown>; items?: unknown[] };
  const out: Record<string, unknown> = { ...o };
  if (o.metadata && 'managedFields' in o.metadata) {
    const { managedFields: _drop, ...meta } = o.metadata;
    out.metadata = meta;
  }
  if (Array.isArray(o.items)) out.items = o.items.map(withoutManagedFields);
  return out;
}
