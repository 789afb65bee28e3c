// Runs one probe check (httpGet, tcpSocket, exec) against a container and says whether it passed,
// as the Kubernetes prober does: HTTP 200–399 passes; a TCP connect passes; exec exit 0 passes.
import { connect } from 'node:net';
import type { ContainerObj, ProbeObj } from '../objects.js';

export interface CheckResult {
  ok: boolean;
  message: string;
}

export type Exec = (command: readonly string[], timeoutSeconds: number) => Promise<{ exitCode: number; output: string }>;

/** A port given by name is looked up in the container's ports. */
export function resolvePort(c: ContainerObj, port: number | string): number {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  const named = (c.ports ?? []).find((p) => p.name === port);
  if (!named) throw new Error(`port "${port}" is not a named port of container ${c.name}`);
  return named.containerPort;
}

async function httpCheck(url: string, timeoutMs: number, headers: Record<string, string>): Promise<CheckResult> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers, redirect: 'manual' });
    await res.body?.cancel();
    return { ok: res.status >= 200 && res.status < 400, message: `HTTP probe failed with statuscode: ${res.status}` };
  } catch (err) {
    return { ok: false, message: `Get "${url}": ${(err as Error).name === 'TimeoutError' ? 'context deadline exceeded' : (err as Error).message}` };
  }
}

function tcpCheck(host: string, port: number, timeoutMs: number): Promise<CheckResult> {
  return new Promise((resolve) => {
    const sock = connect({ host, port });
    const done = (r: CheckResult) => {
      sock.destroy();
      resolve(r);
    };
    sock.setTimeout(timeoutMs, () => done({ ok: false, message: `dial tcp ${host}:${port}: i/o timeout` }));
    sock.once('connect', () => done({ ok: true, message: '' }));
    sock.once('error', (err) => done({ ok: false, message: `dial tcp ${host}:${port}: ${err.message}` }));
  });
}

export async function runCheck(probe: ProbeObj, c: ContainerObj, podIP: string, exec: Exec): Promise<CheckResult> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  if (probe.httpGet) {
    const h = probe.httpGet;
    const port = resolvePort(c, h.port);
    const path = h.path ?? '/';
    const url = `${(h.scheme ?? 'HTTP').toLowerCase()}://${h.host ?? podIP}:${port}${path.startsWith('/') ? path : `/${path}`}`;
    const headers = Object.fromEntries((h.httpHeaders ?? []).map((x) => [x.name, x.value]));
    return httpCheck(url, timeoutMs, headers);
  }
  if (probe.tcpSocket) return tcpCheck(probe.tcpSocket.host ?? podIP, resolvePort(c, probe.tcpSocket.port), timeoutMs);
  if (probe.exec) {
    try {
      const r = await exec(probe.exec.command ?? [], probe.timeoutSeconds ?? 1);
      return { ok: r.exitCode === 0, message: r.exitCode === 0 ? '' : `command failed with exit code ${r.exitCode}: ${r.output.slice(0, 200)}` };
    } catch (err) {
      return { ok: false, message: (err as Error).message };
    }
  }
  return { ok: false, message: 'probe has no supported handler (httpGet, tcpSocket, exec)' };
}
