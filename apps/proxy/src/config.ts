// Settings of the proxy and of the cluster DNS server, from flags and environment variables
// (BRIEF §9: flags win over the environment, which wins over the defaults below). Validation
// refuses any address outside 127.0.0.0/8 (BRIEF §5), before anything is bound.
import { connectionFromFlags, type Connection } from '@kite/client';
import { parseGoDuration } from '@kite/api-types';
import { intFlag } from '@kite/component-base';
import { DEFAULT_UDP_IDLE_TIMEOUT_MS } from './l4/udp-forwarder.js';
import { isLoopbackIPv4 } from './net.js';

export const DEFAULT_APISERVER = 'https://127.0.0.1:6443';
export const DEFAULT_NODE_NAME = 'node-1';
export const DEFAULT_NODE_IP = '127.1.0.1';
/** kube-proxy's health port. */
export const DEFAULT_PROXY_PORT = 10256;
/** The cluster DNS address: loopback, like kube-dns' conventional x.x.0.10. */
export const DEFAULT_DNS_ADDRESS = '127.0.0.10';
export const DEFAULT_DNS_PORT = 53;
/** CoreDNS' metrics port, for the DNS server's /healthz, /readyz and /metrics. */
export const DEFAULT_DNS_HEALTH_PORT = 9153;
export const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';
/** Requests the activator holds at most per Service while it scales from zero. */
export const DEFAULT_ACTIVATOR_QUEUE_LIMIT = 100;
/** Longest the activator holds one request before answering 503 (Go duration). */
export const DEFAULT_ACTIVATOR_TIMEOUT = '30s';

/** Idle time after which a UDP session ends (Go duration; why 60 s: l4/udp-forwarder.ts). */
export const DEFAULT_UDP_IDLE_TIMEOUT = `${DEFAULT_UDP_IDLE_TIMEOUT_MS / 1000}s`;

export type RawFlags = Record<string, string | boolean | undefined>;

export interface ProxyConfig {
  /** Where the apiserver is and the proxy's credentials (from --kubeconfig). */
  apiserver: Connection;
  nodeName: string;
  nodeIP: string;
  port: number;
  bindClusterIPs: boolean;
  activatorQueueLimit: number;
  activatorTimeoutMs: number;
  udpIdleTimeoutMs: number;
}

export interface DnsConfig {
  apiserver: Connection;
  dnsAddress: string;
  dnsPort: number;
  port: number;
  clusterDomain: string;
}

function connection(o: RawFlags): Connection {
  const opt = (v: string | boolean | undefined) => (typeof v === 'string' && v !== '' ? v : undefined);
  return connectionFromFlags({ kubeconfig: opt(o.kubeconfig), apiserver: opt(o.apiserver) }, DEFAULT_APISERVER);
}

function str(v: string | boolean | undefined, fallback: string): string {
  return typeof v === 'string' && v !== '' ? v : fallback;
}

/** `true`/`false` (and 1/0, yes/no) as a flag value; a bare `--flag` arrives as boolean true. */
export function boolFlag(name: string, v: string | boolean | undefined, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v === 'boolean') return v;
  const s = v.toLowerCase();
  if (['true', '1', 'yes'].includes(s)) return true;
  if (['false', '0', 'no'].includes(s)) return false;
  throw new Error(`--${name} must be true or false, got ${JSON.stringify(v)}`);
}

function loopback(name: string, ip: string): string {
  if (!isLoopbackIPv4(ip)) throw new Error(`--${name} must be an IPv4 address in 127.0.0.0/8, got ${JSON.stringify(ip)}`);
  return ip;
}

function portFlag(name: string, v: string | boolean | undefined, fallback: number): number {
  const n = intFlag(name, typeof v === 'string' ? v : undefined, fallback);
  if (n < 0 || n > 65535) throw new Error(`--${name} must be a port number, got ${n}`);
  return n;
}

function positiveInt(name: string, v: string | boolean | undefined, fallback: number): number {
  const n = intFlag(name, typeof v === 'string' ? v : undefined, fallback);
  if (n < 1) throw new Error(`--${name} must be at least 1, got ${n}`);
  return n;
}

/** A positive Go duration (`30s`, `1m30s`, `500ms`) in milliseconds. */
function durationFlag(name: string, v: string | boolean | undefined, fallback: string): number {
  const text = str(v, fallback);
  const ms = parseGoDuration(text);
  if (ms === undefined || ms <= 0) throw new Error(`--${name} must be a positive duration such as 30s or 500ms, got ${JSON.stringify(text)}`);
  return ms;
}

export function proxyConfig(o: RawFlags): ProxyConfig {
  return {
    apiserver: connection(o),
    nodeName: str(o.nodeName, DEFAULT_NODE_NAME),
    nodeIP: loopback('node-ip', str(o.nodeIp, DEFAULT_NODE_IP)),
    port: portFlag('port', o.port, DEFAULT_PROXY_PORT),
    bindClusterIPs: boolFlag('bind-cluster-ips', o.bindClusterIps, true),
    activatorQueueLimit: positiveInt('activator-queue-limit', o.activatorQueueLimit, DEFAULT_ACTIVATOR_QUEUE_LIMIT),
    activatorTimeoutMs: durationFlag('activator-timeout', o.activatorTimeout, DEFAULT_ACTIVATOR_TIMEOUT),
    udpIdleTimeoutMs: durationFlag('udp-idle-timeout', o.udpIdleTimeout, DEFAULT_UDP_IDLE_TIMEOUT),
  };
}

export function dnsConfig(o: RawFlags): DnsConfig {
  return {
    apiserver: connection(o),
    dnsAddress: loopback('dns-address', str(o.dnsAddress, DEFAULT_DNS_ADDRESS)),
    dnsPort: portFlag('dns-port', o.dnsPort, DEFAULT_DNS_PORT),
    port: portFlag('port', o.port, DEFAULT_DNS_HEALTH_PORT),
    clusterDomain: str(o.clusterDomain, DEFAULT_CLUSTER_DOMAIN).replace(/\.$/, '').toLowerCase(),
  };
}
