// The two HTTP reads a scrape round makes, each bounded by a timeout so one slow node cannot hold
// up a round: the kubelet's /metrics/resource over HTTPS, presenting the apiserver's kubelet client
// certificate and verifying the kubelet against --kubelet-certificate-authority (the same TLS as
// pods/NAME/log, http/pod-logs.ts), and the proxy's plain-HTTP /metrics on the node IP.
import { Agent, fetch as undiciFetch, type Dispatcher } from 'undici';
import type { KubeletClientTls } from '../http/pod-logs.js';

/** Where the kubelet serves resource metrics (Kubernetes' path). */
const KUBELET_RESOURCE_PATH = '/metrics/resource';
const PROXY_METRICS_PATH = '/metrics';
/** Largest exposition read from one node (a few thousand containers fit easily). */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Reads the metrics text of one node's kubelet or proxy. */
export interface ScrapeClient {
  kubeletResource(address: string, port: number, timeoutMs: number): Promise<string>;
  proxyMetrics(address: string, port: number, timeoutMs: number): Promise<string>;
}

async function readText(url: string, timeoutMs: number, dispatcher?: Dispatcher): Promise<string> {
  const res = await undiciFetch(url, { signal: AbortSignal.timeout(timeoutMs), ...(dispatcher ? { dispatcher } : {}) });
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${text.slice(0, 200)}`);
  if (text.length > MAX_BODY_BYTES) throw new Error(`GET ${url}: answer larger than ${MAX_BODY_BYTES} bytes`);
  return text;
}

const hostPort = (address: string, port: number) => (address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`);

export function httpScrapeClient(tls?: KubeletClientTls): ScrapeClient {
  const kubelet = new Agent({ connect: { ...(tls ? { cert: tls.cert, key: tls.key } : {}), ...(tls?.ca ? { ca: tls.ca } : {}), rejectUnauthorized: tls?.ca !== undefined } });
  return {
    kubeletResource: (address, port, timeoutMs) => readText(`https://${hostPort(address, port)}${KUBELET_RESOURCE_PATH}`, timeoutMs, kubelet),
    proxyMetrics: (address, port, timeoutMs) => readText(`http://${hostPort(address, port)}${PROXY_METRICS_PATH}`, timeoutMs),
  };
}
