// Polls the apiserver until it answers or the nodes are ready (over TLS, trusting the cluster CA).
import { KubeClient, dispatcherFor, type Connection } from '@kite/client';
import { NodeResource } from '@kite/api-types';
import { fetch as undiciFetch } from 'undici';

const POLL_MS = 100;

export async function waitForUrl(url: string, timeoutMs: number, ca?: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const dispatcher = ca ? dispatcherFor({ ca }) : undefined;
  while (Date.now() < deadline) {
    const ok = await undiciFetch(url, dispatcher ? { dispatcher } : {}).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  throw new Error(`${url} did not become ready within ${timeoutMs} ms`);
}

/** Returns the names of the wanted nodes that are Ready, once all are or the timeout passes. */
export async function waitForNodesReady(connection: Connection, names: string[], timeoutMs: number): Promise<string[]> {
  const nodes = new KubeClient({ ...connection, userAgent: 'kite-launcher' }).resource(NodeResource);
  const deadline = Date.now() + timeoutMs;
  let ready: string[] = [];
  while (Date.now() < deadline) {
    const list = await nodes.list().catch(() => ({ items: [] }));
    ready = list.items
      .filter((n) => names.includes(n.metadata.name ?? '') && n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
      .map((n) => n.metadata.name ?? '');
    if (ready.length === names.length) return ready;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return ready;
}
