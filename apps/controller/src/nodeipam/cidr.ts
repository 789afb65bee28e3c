// CidrSet: hands out equal-sized IPv4 subnets of a cluster CIDR, lowest free first (pure;
// table-tested).
// Example: cluster 127.64.0.0/10 with mask 24 holds 2^(24−10) = 16,384 subnets:
// 127.64.0.0/24, 127.64.1.0/24, …, 127.64.255.0/24, 127.65.0.0/24, …, 127.127.255.0/24.

export interface Cidr {
  /** Network address as an unsigned 32-bit number. */
  base: number;
  prefix: number;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`, normalising host bits away; throws for anything else. */
export function parseCidr(text: string): Cidr {
  const m = IPV4.exec(text.trim());
  const octets = m ? m.slice(1, 5).map(Number) : [];
  const prefix = Number(m?.[5]);
  if (!m || octets.some((o) => o > 255) || prefix > 32) throw new Error(`invalid IPv4 CIDR ${JSON.stringify(text)}`);
  const ip = octets.reduce((n, o) => n * 256 + o, 0);
  return { base: prefix === 0 ? 0 : ip - (ip % 2 ** (32 - prefix)), prefix };
}

export function formatIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

export function formatCidr(c: Cidr): string {
  return `${formatIp(c.base)}/${c.prefix}`;
}

export class CidrSet {
  readonly cluster: Cidr;
  readonly maskSize: number;
  readonly size: number;
  private readonly used = new Set<number>();
  /** Lowest index that may be free (everything below is used). */
  private lowest = 0;

  constructor(clusterCidr: string, maskSize: number) {
    this.cluster = parseCidr(clusterCidr);
    if (!Number.isInteger(maskSize) || maskSize < this.cluster.prefix || maskSize > 32) {
      throw new Error(`node CIDR mask size ${maskSize} must be between ${this.cluster.prefix} and 32`);
    }
    this.maskSize = maskSize;
    this.size = 2 ** (maskSize - this.cluster.prefix);
  }

  /** The lowest free subnet, now marked used; undefined when all are taken. */
  allocate(): string | undefined {
    for (let i = this.lowest; i < this.size; i++) {
      if (this.used.has(i)) continue;
      this.used.add(i);
      this.lowest = i + 1;
      return this.format(i);
    }
    return undefined;
  }

  /** Marks a subnet used (a node already had it); false when it is not one of ours. */
  occupy(cidr: string): boolean {
    const i = this.indexOf(cidr);
    if (i === undefined) return false;
    this.used.add(i);
    return true;
  }

  release(cidr: string): void {
    const i = this.indexOf(cidr);
    if (i === undefined) return;
    this.used.delete(i);
    this.lowest = Math.min(this.lowest, i);
  }

  allocated(): number {
    return this.used.size;
  }

  private format(i: number): string {
    return formatCidr({ base: this.cluster.base + i * 2 ** (32 - this.maskSize), prefix: this.maskSize });
  }

  /** The index of a subnet of this set, or undefined for a foreign or differently sized CIDR. */
  private indexOf(cidr: string): number | undefined {
    let c: Cidr;
    try {
      c = parseCidr(cidr);
    } catch {
      return undefined;
    }
    if (c.prefix !== this.maskSize) return undefined;
    const offset = c.base - this.cluster.base;
    if (offset < 0 || offset >= this.size * 2 ** (32 - this.maskSize)) return undefined;
    return offset / 2 ** (32 - this.maskSize);
  }
}
