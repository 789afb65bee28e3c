// Allocates Service cluster IPs from the service CIDR and node ports from their range (BRIEF §5).
// The allocation state lives in Redis hashes (address → owning Service) and every claim is one
// HSETNX, so two Services never get the same address, even under concurrent creates on several
// apiservers. Released when the Service goes; a requested address that is taken or out of range
// is a 422 naming the field.
import { randomInt } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Service } from '@kite/api-types';
import { invalid } from '@kite/apimachinery';

const CLUSTER_IPS_KEY = '/registry/~alloc/clusterips';
const NODE_PORTS_KEY = '/registry/~alloc/nodeports';
/** Random picks before falling back to a sequential scan of the range. */
const RANDOM_TRIES = 32;

/** Releases an address only if this Service still owns it. */
const RELEASE = `if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end return 0`;

export const DEFAULT_SERVICE_CIDR = '127.32.0.0/16';
export const DEFAULT_NODE_PORT_RANGE = '30000-32767';

const ipToInt = (ip: string) => ip.split('.').reduce((n, p) => n * 256 + Number(p), 0);
const intToIp = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');

export class ServiceAllocator {
  private readonly ipBase: number;
  private readonly ipSize: number;
  private readonly portMin: number;
  private readonly portMax: number;

  constructor(
    private readonly redis: Redis,
    serviceCidr = DEFAULT_SERVICE_CIDR,
    nodePortRange = DEFAULT_NODE_PORT_RANGE,
  ) {
    const [addr, bits] = serviceCidr.split('/');
    this.ipSize = 2 ** (32 - Number(bits));
    this.ipBase = ipToInt(addr ?? '0.0.0.0') - (ipToInt(addr ?? '0.0.0.0') % this.ipSize);
    const [min, max] = nodePortRange.split('-').map(Number);
    this.portMin = min ?? 30000;
    this.portMax = max ?? 32767;
  }

  get cidr(): string {
    return `${intToIp(this.ipBase)}/${32 - Math.log2(this.ipSize)}`;
  }

  private inIpRange(ip: string): boolean {
    const n = ipToInt(ip);
    return /^\d+\.\d+\.\d+\.\d+$/.test(ip) && n > this.ipBase && n < this.ipBase + this.ipSize - 1;
  }

  private async claim(key: string, value: string, owner: string): Promise<boolean> {
    return (await this.redis.hsetnx(key, value, owner)) === 1;
  }

  private async claimAny(key: string, first: number, count: number, format: (n: number) => string, owner: string): Promise<string | undefined> {
    for (let i = 0; i < RANDOM_TRIES; i++) {
      const v = format(first + randomInt(count));
      if (await this.claim(key, v, owner)) return v;
    }
    for (let i = 0; i < count; i++) {
      const v = format(first + i);
      if (await this.claim(key, v, owner)) return v;
    }
    return undefined;
  }

  /** Fills spec.clusterIP(s) and node ports of a new Service, claiming them. */
  async allocate(svc: Service): Promise<void> {
    const spec = svc.spec ?? (svc.spec = {});
    const owner = `${svc.metadata.namespace ?? ''}/${svc.metadata.name ?? ''}`;
    const name = svc.metadata.name ?? '';
    const fail = (field: string, value: unknown, detail: string) => invalid({ group: '', kind: 'Service' }, name, [{ reason: 'FieldValueInvalid', field, message: `Invalid value: ${JSON.stringify(value)}: ${detail}` }]);
    if (spec.type !== 'ExternalName' && spec.clusterIP !== 'None') {
      if (spec.clusterIP) {
        if (!this.inIpRange(spec.clusterIP)) throw fail('spec.clusterIPs', [spec.clusterIP], `failed to allocate IP ${spec.clusterIP}: the provided IP (${spec.clusterIP}) is not in the valid range. The range of valid IPs is ${this.cidr}`);
        if (!(await this.claim(CLUSTER_IPS_KEY, spec.clusterIP, owner))) throw fail('spec.clusterIPs', [spec.clusterIP], `failed to allocate IP ${spec.clusterIP}: provided IP is already allocated`);
      } else {
        const ip = await this.claimAny(CLUSTER_IPS_KEY, this.ipBase + 1, this.ipSize - 2, intToIp, owner);
        if (!ip) throw fail('spec.clusterIPs', [], `failed to allocate a serviceIP: range is full`);
        spec.clusterIP = ip;
      }
      spec.clusterIPs = [spec.clusterIP];
    }
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') await this.allocatePorts(svc, owner, fail);
  }

  private async allocatePorts(svc: Service, owner: string, fail: (f: string, v: unknown, d: string) => Error): Promise<void> {
    for (const [i, p] of (svc.spec?.ports ?? []).entries()) {
      if (p.nodePort) {
        if (p.nodePort < this.portMin || p.nodePort > this.portMax) throw fail(`spec.ports[${i}].nodePort`, p.nodePort, `provided port is not in the valid range. The range of valid ports is ${this.portMin}-${this.portMax}`);
        if (!(await this.claim(NODE_PORTS_KEY, String(p.nodePort), owner))) throw fail(`spec.ports[${i}].nodePort`, p.nodePort, 'provided port is already allocated');
      } else {
        const port = await this.claimAny(NODE_PORTS_KEY, this.portMin, this.portMax - this.portMin + 1, String, owner);
        if (!port) throw fail(`spec.ports[${i}].nodePort`, 0, 'range is full');
        p.nodePort = Number(port);
      }
    }
  }

  /** Keeps what an update may not drop (cluster IP, node ports) and allocates what it adds. */
  async update(next: Service, old: Service): Promise<void> {
    const spec = next.spec ?? (next.spec = {});
    if (!spec.clusterIP && old.spec?.clusterIP) spec.clusterIP = old.spec.clusterIP;
    if (!spec.clusterIPs && old.spec?.clusterIPs) spec.clusterIPs = old.spec.clusterIPs;
    const owner = `${next.metadata.namespace ?? ''}/${next.metadata.name ?? ''}`;
    const wantsPorts = spec.type === 'NodePort' || spec.type === 'LoadBalancer';
    const oldPorts = new Map((old.spec?.ports ?? []).map((p) => [`${p.port}/${p.protocol ?? 'TCP'}`, p.nodePort]));
    if (wantsPorts) {
      for (const p of spec.ports ?? []) if (!p.nodePort) p.nodePort = oldPorts.get(`${p.port}/${p.protocol ?? 'TCP'}`);
      const fresh = (spec.ports ?? []).filter((p) => !p.nodePort || ![...oldPorts.values()].includes(p.nodePort));
      if (fresh.length > 0) await this.allocatePorts({ ...next, spec: { ...spec, ports: fresh } }, owner, (f, v, d) => invalid({ group: '', kind: 'Service' }, next.metadata.name ?? '', [{ reason: 'FieldValueInvalid', field: f, message: `Invalid value: ${JSON.stringify(v)}: ${d}` }]));
    } else {
      for (const p of spec.ports ?? []) delete p.nodePort;
    }
  }

  /** Frees the addresses a Service holds (after delete, or a failed create). */
  async release(svc: Service): Promise<void> {
    const owner = `${svc.metadata.namespace ?? ''}/${svc.metadata.name ?? ''}`;
    if (svc.spec?.clusterIP && svc.spec.clusterIP !== 'None') await this.redis.eval(RELEASE, 1, CLUSTER_IPS_KEY, svc.spec.clusterIP, owner);
    for (const p of svc.spec?.ports ?? []) if (p.nodePort) await this.redis.eval(RELEASE, 1, NODE_PORTS_KEY, String(p.nodePort), owner);
  }

  /** Releases node ports an update dropped. */
  async releaseDropped(next: Service, old: Service): Promise<void> {
    const kept = new Set((next.spec?.ports ?? []).map((p) => p.nodePort));
    const owner = `${old.metadata.namespace ?? ''}/${old.metadata.name ?? ''}`;
    for (const p of old.spec?.ports ?? []) if (p.nodePort && !kept.has(p.nodePort)) await this.redis.eval(RELEASE, 1, NODE_PORTS_KEY, String(p.nodePort), owner);
  }
}
