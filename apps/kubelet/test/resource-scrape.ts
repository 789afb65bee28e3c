// Reads a kubelet's /metrics/resource as a scraper does (the apiserver's kubelet-client
// identity, over HTTPS), parses the Prometheus samples, and turns two scrapes into CPU rates.
import { APISERVER_KUBELET_CLIENT, type Identity } from '@kite/testing';
import type { KubeletCluster } from './helpers.js';

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  timestampMs?: number;
}

/** Parses the sample lines of Prometheus text (comments skipped; label values without escapes). */
export function parseSamples(text: string): PromSample[] {
  const out: PromSample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)(?: (\d+))?$/.exec(line);
    if (!match?.[1] || match[3] === undefined) throw new Error(`not a sample line: ${line}`);
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1] ?? '', m[2] ?? '']));
    out.push({ name: match[1], labels, value: Number(match[3]), ...(match[4] ? { timestampMs: Number(match[4]) } : {}) });
  }
  return out;
}

/** GETs `path` on the kubelet API as `identity` (null: no client certificate). */
export async function kubeletGet(c: KubeletCluster, path: string, identity: Identity | null = APISERVER_KUBELET_CLIENT): Promise<{ status: number; body: string }> {
  const fetcher = await c.apiserver.fetcher(identity ?? undefined);
  const res = await fetcher(`https://${c.nodeIP}:${c.port}${path}`);
  return { status: res.status, body: await res.text() };
}

export async function scrapeResource(c: KubeletCluster): Promise<PromSample[]> {
  const { status, body } = await kubeletGet(c, '/metrics/resource');
  if (status !== 200) throw new Error(`/metrics/resource answered ${status}: ${body}`);
  return parseSamples(body);
}

/** The sample of `name` whose labels include `labels`. */
export function sampleOf(samples: PromSample[], name: string, labels: Record<string, string> = {}): PromSample | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** Cores used between two scrapes of a cumulative core-seconds counter, over its own sample times. */
export function coresBetween(a: PromSample, b: PromSample): number {
  const ms = (b.timestampMs ?? 0) - (a.timestampMs ?? 0);
  if (ms <= 0) throw new Error('the two samples have no interval between them');
  return (b.value - a.value) / (ms / 1000);
}
