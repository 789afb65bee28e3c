// The activator's own readiness check of a pod that is starting from zero. As Knative's activator
// probes a revision's pods itself instead of waiting for Kubernetes to call them ready, a held
// request may go to a pod as soon as the pod's own readiness probe passes when the activator runs
// it, without waiting for the kubelet to run it, write the Ready condition and the watch to carry
// it here (about a tenth of a Wasm cold start).
//
// Contract (probeTargets is pure; table-tested):
// - Only a Running pod with a loopback pod IP, not being deleted and not Ready yet, every
//   container of which is running and declares a readinessProbe the activator can run the same
//   way — httpGet over HTTP (2xx or 3xx passes) or tcpSocket (a connection passes) — with no
//   initialDelaySeconds and no startupProbe (the kubelet would not call it ready sooner either).
//   Anything else (exec or gRPC probes, no probe at all: then the kubelet's first status already
//   says Ready) is left to the kubelet.
// - Named ports resolve among the container's ports; an unknown name makes the pod ineligible.
// - probeOnce answers false on any error or timeout; it never throws.
import { request } from 'node:http';
import { connect } from 'node:net';
import type { Container, Pod, Probe } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';
import { isLoopbackIPv4 } from '../net.js';

type ReadonlyPod = DeepReadonly<Pod>;

export interface ProbeTarget {
  kind: 'http' | 'tcp';
  ip: string;
  port: number;
  /** httpGet: the path (with its query), as the kubelet requests it. */
  path: string;
  headers: Record<string, string>;
}

/** Each attempt's limit, as a probe's timeoutSeconds default (1 s). */
export const PROBE_TIMEOUT_MS = 1000;
const USER_AGENT = 'kite-activator-probe';

function portOf(container: DeepReadonly<Container>, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return port;
  if (port === undefined) return undefined;
  if (/^\d+$/.test(port)) return Number(port);
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

function targetOf(container: DeepReadonly<Container>, probe: DeepReadonly<Probe>, ip: string): ProbeTarget | undefined {
  if ((probe.initialDelaySeconds ?? 0) > 0) return undefined;
  if (probe.httpGet) {
    const g = probe.httpGet;
    if ((g.scheme ?? 'HTTP') !== 'HTTP' || (g.host && g.host !== ip)) return undefined;
    const port = portOf(container, g.port);
    if (port === undefined) return undefined;
    const headers = Object.fromEntries((g.httpHeaders ?? []).map((h) => [h.name, h.value]));
    const path = g.path ? (g.path.startsWith('/') ? g.path : `/${g.path}`) : '/';
    return { kind: 'http', ip, port, path, headers: { 'user-agent': USER_AGENT, ...headers } };
  }
  if (probe.tcpSocket) {
    const port = portOf(container, probe.tcpSocket.port);
    return port === undefined ? undefined : { kind: 'tcp', ip, port, path: '', headers: {} };
  }
  return undefined;
}

/** What to check before calling the pod ready, or undefined when the activator cannot tell. */
export function probeTargets(pod: ReadonlyPod): ProbeTarget[] | undefined {
  const ip = pod.status?.podIP;
  if (!ip || !isLoopbackIPv4(ip) || pod.metadata.deletionTimestamp || pod.status?.phase !== 'Running') return undefined;
  if (pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) return undefined;
  const containers = pod.spec?.containers ?? [];
  if (containers.length === 0) return undefined;
  const targets: ProbeTarget[] = [];
  for (const c of containers) {
    const running = pod.status.containerStatuses?.find((s) => s.name === c.name)?.state?.running;
    if (!running || !c.readinessProbe || c.startupProbe) return undefined;
    const t = targetOf(c, c.readinessProbe, ip);
    if (!t) return undefined;
    targets.push(t);
  }
  return targets;
}

export function probeOnce(t: ProbeTarget, timeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> {
  return new Promise((resolve) => {
    if (t.kind === 'tcp') {
      const socket = connect({ host: t.ip, port: t.port, timeout: timeoutMs });
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.once('connect', () => done(true)).once('error', () => done(false)).once('timeout', () => done(false));
      return;
    }
    const req = request({ host: t.ip, port: t.port, path: t.path, method: 'GET', headers: t.headers, agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      resolve(code >= 200 && code < 400);
    });
    req.once('error', () => resolve(false)).once('timeout', () => req.destroy());
    req.end();
  });
}
