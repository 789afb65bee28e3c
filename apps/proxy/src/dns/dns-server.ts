// ClusterDns: the cluster DNS server (issue 6) — dns2's UDP and TCP servers on one loopback
// address and port, answering from the catalog through records.ts.
//
// Why dns2's transports one by one rather than its createServer(): its combined `listen` binds TCP
// on every interface when given port 0, and BRIEF §5 allows loopback only; here both sockets are
// bound to the configured address explicitly. A handler that throws answers SERVFAIL.
import { isIPv4 } from 'node:net';
import dns2, { type Packet, type TCPServer, type UDPServer } from 'dns2';
import type { Logger } from '@kite/component-base';
import { DNS_TTL_SECONDS, RCODE, answerQuestion, type DnsRecord, type ServiceLookup } from './records.js';

export interface ClusterDnsOptions {
  lookup: ServiceLookup;
  clusterDomain: string;
  log: Logger;
  /** Called once per answered query with its response code. */
  onAnswer?: (rcode: number) => void;
}

export class ClusterDns {
  private readonly udp: UDPServer;
  private readonly tcp: TCPServer;

  constructor(private readonly opts: ClusterDnsOptions) {
    const handle = (request: Packet, send: (response: Packet) => Promise<Buffer>) => {
      send(this.respond(request)).catch((err: unknown) => opts.log.debug({ err }, 'dns send failed'));
    };
    this.udp = dns2.createUDPServer({ type: 'udp4' });
    this.udp.on('request', handle);
    this.tcp = dns2.createTCPServer(handle);
    for (const s of [this.udp, this.tcp]) s.on('requestError', (err: Error) => opts.log.debug({ err }, 'malformed dns request'));
  }

  /** Binds UDP and TCP on `address:port`; both must be free. */
  async listen(address: string, port: number): Promise<void> {
    if (!isIPv4(address)) throw new Error(`dns address must be IPv4, got ${address}`);
    await this.udp.listen(port, address);
    await new Promise<void>((resolve, reject) => {
      this.tcp.once('error', reject);
      this.tcp.listen({ host: address, port }, () => {
        this.tcp.off('error', reject);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    await Promise.all([new Promise<void>((resolve) => this.udp.close(() => resolve())), new Promise<void>((resolve) => this.tcp.close(() => resolve()))]);
  }

  respond(request: Packet): Packet {
    const response = dns2.Packet.createResponseFromRequest(request);
    response.header.aa = 1;
    try {
      for (const q of request.questions) {
        const { rcode, records, additional = [] } = answerQuestion(this.opts.lookup, q.name, q.type, this.opts.clusterDomain);
        response.header.rcode = rcode;
        for (const r of records) response.answers.push(resource(r));
        for (const r of additional) response.additionals.push(resource(r));
      }
    } catch (err) {
      this.opts.log.warn({ err }, 'dns lookup failed');
      response.answers = [];
      response.additionals = [];
      response.header.rcode = RCODE.SERVFAIL;
    }
    this.opts.onAnswer?.(response.header.rcode);
    return response;
  }
}

/** An answer record as dns2 encodes it: class IN, the cluster DNS TTL. */
function resource(r: DnsRecord) {
  return new dns2.Packet.Resource({ ...r, class: dns2.Packet.CLASS.IN, ttl: DNS_TTL_SECONDS });
}
