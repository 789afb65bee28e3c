// The shapes records.ts answers in: plain data that dns-server.ts encodes with dns2. Kept apart
// so that records.ts and srv.ts share them without importing each other.

/** Seconds a resolver may cache an answer (CoreDNS' kubernetes plugin default). */
export const DNS_TTL_SECONDS = 5;
export const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3 } as const;
export const QTYPE = { A: 1, CNAME: 5, SRV: 33 } as const;

export interface DnsRecord {
  name: string;
  type: number;
  /** A: the address. */
  address?: string;
  /** CNAME: the target name. */
  domain?: string;
  /** SRV (RFC 2782): priority, weight, port and target name. */
  priority?: number;
  weight?: number;
  port?: number;
  target?: string;
}

export interface DnsAnswer {
  rcode: number;
  records: readonly DnsRecord[];
  /** The additional section: A records of the SRV targets, so clients need no second query. */
  additional?: readonly DnsRecord[];
}

export const NXDOMAIN: DnsAnswer = Object.freeze({ rcode: RCODE.NXDOMAIN, records: [] });
/** The name exists but has no record of the asked type. */
export const NODATA: DnsAnswer = Object.freeze({ rcode: RCODE.NOERROR, records: [] });
