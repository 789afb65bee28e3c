// Host ports: a pod asking for hostPort P binds P on its node, so two pods on one node may not
// both take the same port and protocol on overlapping addresses. 0.0.0.0 (the default hostIP)
// overlaps every address; two different specific addresses do not overlap.
import type { PodSpecObj } from './types.js';

/** The address a host port binds when the container names none: every address. */
export const ANY_HOST_IP = '0.0.0.0';
export const DEFAULT_PROTOCOL = 'TCP';

export interface HostPort {
  readonly ip: string;
  readonly protocol: string;
  readonly port: number;
}

/** The host ports a pod wants, from every container (init containers hold theirs while running). */
export function podHostPorts(spec: PodSpecObj | undefined): HostPort[] {
  const out: HostPort[] = [];
  if (!spec) return out;
  for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort || p.hostPort <= 0) continue;
      out.push({ ip: p.hostIP || ANY_HOST_IP, protocol: p.protocol ?? DEFAULT_PROTOCOL, port: p.hostPort });
    }
  }
  return out;
}

/** The host ports in use on one node, counted per address so removal is exact. */
export class HostPortSet {
  /** `protocol/port` → address → number of pods holding it. */
  private readonly used = new Map<string, Map<string, number>>();

  add(p: HostPort, delta = 1): void {
    const key = `${p.protocol}/${p.port}`;
    let byIp = this.used.get(key);
    if (!byIp) this.used.set(key, (byIp = new Map()));
    const n = (byIp.get(p.ip) ?? 0) + delta;
    if (n > 0) byIp.set(p.ip, n);
    else byIp.delete(p.ip);
    if (byIp.size === 0) this.used.delete(key);
  }

  remove(p: HostPort): void {
    this.add(p, -1);
  }

  conflicts(p: HostPort): boolean {
    const byIp = this.used.get(`${p.protocol}/${p.port}`);
    if (!byIp) return false;
    if (p.ip === ANY_HOST_IP) return true;
    return byIp.has(p.ip) || byIp.has(ANY_HOST_IP);
  }

  get size(): number {
    return this.used.size;
  }
}
