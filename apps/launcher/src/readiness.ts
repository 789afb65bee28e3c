// Polls the apiserver until a component or the nodes are ready.

const POLL_MS = 100;

export async function waitForUrl(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  throw new Error(`${url} did not become ready within ${timeoutMs} ms`);
}

interface NodeList {
  items: Array<{ metadata: { name: string }; status?: { conditions?: Array<{ type: string; status: string }> } }>;
}

/** Returns the names of the wanted nodes that are Ready, once all are or the timeout passes. */
export async function waitForNodesReady(api: string, names: string[], timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let ready: string[] = [];
  while (Date.now() < deadline) {
    const list = (await fetch(`${api}/api/v1/nodes`).then((r) => r.json(), () => ({ items: [] }))) as NodeList;
    ready = list.items
      .filter((n) => names.includes(n.metadata.name) && n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
      .map((n) => n.metadata.name);
    if (ready.length === names.length) return ready;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return ready;
}
