// Hands out pod IPs from the node's pod CIDR (a loopback range, BRIEF §5), skipping the network
// address and .1 of each /24, and takes back the IPs of pods that are gone. IPs of adopted pods
// are marked used at start-up so a restarted kubelet never hands one out twice.

function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

export function parseCidr(cidr: string): { base: number; size: number } {
  const [addr, bits] = cidr.split('/');
  const prefix = Number(bits);
  if (!addr || !Number.isInteger(prefix) || prefix < 8 || prefix > 30) throw new Error(`invalid pod CIDR ${cidr}`);
  const size = 2 ** (32 - prefix);
  const base = ipToInt(addr) - (ipToInt(addr) % size);
  return { base, size };
}

export class PodIpam {
  private readonly base: number;
  private readonly size: number;
  private readonly used = new Map<string, string>();
  private next = 0;

  constructor(cidr: string) {
    ({ base: this.base, size: this.size } = parseCidr(cidr));
  }

  /** Marks an IP as held by a pod (adoption after a restart). */
  reserve(ip: string, owner: string): void {
    this.used.set(ip, owner);
  }

  /** Whether `ip` lies in this range and is not the network, .1 or broadcast address of its /24. */
  contains(ip: string): boolean {
    const n = ipToInt(ip);
    const last = n & 255;
    return n >= this.base && n < this.base + this.size && last !== 0 && last !== 1 && last !== 255;
  }

  /**
   * The IP held by `owner`, else `preferred` when it is in range and free (a pod keeps its IP
   * across a kubelet restart), else a fresh one. Throws when the range is exhausted.
   */
  allocate(owner: string, preferred?: string): string {
    for (const [ip, o] of this.used) if (o === owner) return ip;
    if (preferred && this.contains(preferred) && !this.used.has(preferred)) {
      this.used.set(preferred, owner);
      return preferred;
    }
    for (let i = 0; i < this.size; i++) {
      const offset = (this.next + i) % this.size;
      const last = offset & 255;
      if (last === 0 || last === 1 || last === 255) continue;
      const ip = intToIp(this.base + offset);
      if (this.used.has(ip)) continue;
      this.used.set(ip, owner);
      this.next = offset + 1;
      return ip;
    }
    throw new Error('pod CIDR exhausted');
  }

  release(owner: string): void {
    for (const [ip, o] of this.used) if (o === owner) this.used.delete(ip);
  }
}
