// Validation of probes and lifecycle hooks: exactly one action, sane timing, valid ports.
import type { StatusCause } from '../meta/v1.js';
import { forbidden, invalid, required } from '../validation/causes.js';
import { validateNonNegative, validatePortNumber, validatePortNumOrName, validatePositive } from '../validation/fields.js';
import { LIFECYCLE_HANDLERS, PROBE_HANDLERS, type HTTPGetAction, type Lifecycle, type LifecycleHandler, type Probe, type TCPSocketAction } from './probe.js';

/** Exactly one of `handlers` must be set on `obj`. */
function validateOneHandler(obj: object, handlers: readonly string[], path: string): StatusCause[] {
  const rec = obj as Record<string, unknown>;
  const set = handlers.filter((h) => rec[h] !== undefined && rec[h] !== null);
  if (set.length === 0) return [required(path, 'must specify a handler type')];
  return set.slice(1).map((h) => forbidden(`${path}.${h}`, 'may not specify more than 1 handler type'));
}

function validateHttpGet(h: HTTPGetAction | undefined, path: string): StatusCause[] {
  if (!h) return [];
  return validatePortNumOrName(h.port, `${path}.port`);
}

function validateTcpSocket(t: TCPSocketAction | undefined, path: string): StatusCause[] {
  return t ? validatePortNumOrName(t.port, `${path}.port`) : [];
}

export type ProbeKind = 'livenessProbe' | 'readinessProbe' | 'startupProbe';

export function validateProbe(p: Probe | undefined, kind: ProbeKind, path: string): StatusCause[] {
  if (!p) return [];
  const out = validateOneHandler(p, PROBE_HANDLERS, path);
  out.push(...validateHttpGet(p.httpGet, `${path}.httpGet`), ...validateTcpSocket(p.tcpSocket, `${path}.tcpSocket`));
  if (p.grpc) out.push(...validatePortNumber(p.grpc.port, `${path}.grpc.port`));
  out.push(...validateNonNegative(p.initialDelaySeconds, `${path}.initialDelaySeconds`));
  for (const f of ['timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    out.push(...validatePositive(p[f], `${path}.${f}`));
  }
  // Liveness and startup act on the first success; a higher threshold would never be consulted.
  if (kind !== 'readinessProbe' && p.successThreshold !== undefined && p.successThreshold !== 1) {
    out.push(invalid(`${path}.successThreshold`, p.successThreshold, 'must be 1'));
  }
  if (p.terminationGracePeriodSeconds !== undefined) {
    if (kind === 'readinessProbe') out.push(invalid(`${path}.terminationGracePeriodSeconds`, p.terminationGracePeriodSeconds, 'must not be set for readinessProbes'));
    else out.push(...validatePositive(p.terminationGracePeriodSeconds, `${path}.terminationGracePeriodSeconds`));
  }
  return out;
}

function validateLifecycleHandler(h: LifecycleHandler | undefined, path: string): StatusCause[] {
  if (!h) return [];
  const out = validateOneHandler(h, LIFECYCLE_HANDLERS, path);
  out.push(...validateHttpGet(h.httpGet, `${path}.httpGet`), ...validateTcpSocket(h.tcpSocket, `${path}.tcpSocket`));
  if (h.sleep) out.push(...validatePositive(h.sleep.seconds, `${path}.sleep.seconds`));
  return out;
}

export function validateLifecycle(l: Lifecycle | undefined, path: string): StatusCause[] {
  if (!l) return [];
  return [...validateLifecycleHandler(l.postStart, `${path}.postStart`), ...validateLifecycleHandler(l.preStop, `${path}.preStop`)];
}
