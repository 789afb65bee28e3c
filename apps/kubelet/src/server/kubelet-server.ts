// The kubelet's own HTTP API on the node IP: health, metrics, and container logs, which the
// apiserver proxies for `kubectl logs` (pods/NAME/log).
import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from '@kite/component-base';
import { followLog, readLog } from './log-reader.js';

export interface LogLocator {
  /** The log file of a container (previous: the instance before the current one), if known. */
  logPath(namespace: string, pod: string, container: string, previous: boolean): Promise<{ path: string; running: () => Promise<boolean> } | undefined>;
}

type Query = Record<string, string | undefined>;

export async function startKubeletServer(host: string, port: number, registry: Registry, logs: LogLocator, healthy: () => boolean): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, forceCloseConnections: true });
  app.get('/healthz', (_req, reply) => (healthy() ? reply.type('text/plain').send('ok') : reply.code(503).send('unhealthy')));
  app.get('/readyz', (_req, reply) => reply.type('text/plain').send('ok'));
  app.get('/metrics', async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));
  app.get('/containerLogs/:ns/:pod/:container', async (req, reply) => {
    const p = req.params as { ns: string; pod: string; container: string };
    const q = req.query as Query;
    const found = await logs.logPath(p.ns, p.pod, p.container, q.previous === 'true');
    if (!found) return reply.code(404).type('text/plain').send(`container "${p.container}" in pod "${p.pod}" has no logs`);
    const tailLines = q.tailLines !== undefined && q.tailLines !== '' ? Math.max(0, Number(q.tailLines)) : undefined;
    const timestamps = q.timestamps === 'true';
    const { text, size } = await readLog(found.path, { ...(tailLines !== undefined ? { tailLines } : {}), timestamps });
    if (q.follow !== 'true') return reply.type('text/plain').send(text);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
    res.write(text);
    const ctrl = new AbortController();
    req.raw.on('close', () => ctrl.abort());
    await followLog(found.path, size, (t) => res.write(t), async () => !(await found.running()), ctrl.signal, timestamps);
    res.end();
  });
  await app.listen({ host, port });
  return app;
}
