// The kubelet's own API on the node IP, over HTTPS (BRIEF §12): health, metrics, resource usage
// (/metrics/resource for metrics-server-style scrapers, /stats/summary), container logs, which
// the apiserver proxies for `kubectl logs` (pods/NAME/log), the pods this kubelet was assigned
// (/pods) and the pods its runtimes run (/runningpods/), both as v1 PodLists (pod-lists.ts), and
// its effective configuration (/configz).
//
// Who may call it, as Kubernetes' kubelet decides with `--authentication-token-webhook` off and
// `--authorization-mode=Webhook`: a caller presents a client certificate that chains to
// `--client-ca-file` (CN = user, O = groups); the kubelet asks the apiserver with a
// SubjectAccessReview whether that user may `get` the subresource of this node that Kubernetes
// maps the path to: /metrics and /metrics/* → nodes/metrics, /stats/* → nodes/stats,
// everything else (logs, pods, runningpods, configz) → nodes/proxy. /healthz, /livez and /readyz
// answer anyone, as probes need.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { Pod } from '@kite/api-types';
import { configzDocument, type Configz, type Registry } from '@kite/component-base';
import { queryBool } from '@kite/apimachinery';
import { renderResourceMetrics } from '../stats/resource-metrics.js';
import type { UsageSnapshot } from '../stats/provider.js';
import { summaryOf } from '../stats/summary.js';
import { followLog, readLog } from './log-reader.js';
import { podList } from './pod-lists.js';

/** The Prometheus text format's content type, as the Kubernetes kubelet sends it. */
const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';

export interface UsageSource {
  /** Node, pod and container usage read now (stats/provider.ts). */
  snapshot(): Promise<UsageSnapshot>;
}

export interface LogLocator {
  /** The log file of a container (previous: the instance before the current one), if known. */
  logPath(namespace: string, pod: string, container: string, previous: boolean): Promise<{ path: string; running: () => Promise<boolean> } | undefined>;
}

export interface PodSource {
  /** The pods bound to this node, with the status the kubelet last computed. */
  assigned(): Pod[];
  /** The pods the runtimes run now. */
  running(): Promise<Pod[]>;
}

export interface Caller {
  username: string;
  groups: string[];
}

/** The `nodes` subresources the kubelet API checks (Kubernetes' kubelet authorizer mapping). */
export type KubeletSubresource = 'proxy' | 'metrics' | 'stats' | 'log';

/** Whether `caller` may `get` this node's `subresource`. */
export type KubeletAuthorizer = (caller: Caller, subresource: KubeletSubresource) => Promise<boolean>;

export interface KubeletServerOptions {
  host: string;
  port: number;
  registry: Registry;
  logs: LogLocator;
  usage: UsageSource;
  pods: PodSource;
  configz: Configz;
  healthy: () => boolean;
  tls: { cert: string; key: string; clientCa?: string };
  authorize: KubeletAuthorizer;
}

type Query = Record<string, string | undefined>;

function callerOf(req: FastifyRequest): Caller | undefined {
  const socket = req.raw.socket as TLSSocket;
  if (typeof socket.getPeerCertificate !== 'function' || !socket.authorized) return undefined;
  const cert = socket.getPeerCertificate() as PeerCertificate;
  const cn = cert.subject?.CN;
  const o = cert.subject?.O;
  const username = Array.isArray(cn) ? cn[0] : cn;
  if (!username) return undefined;
  return { username, groups: o === undefined ? [] : Array.isArray(o) ? o : [o] };
}

/** A 401 or 403 answered, or the request may go on. */
async function guard(req: FastifyRequest, reply: FastifyReply, authorize: KubeletAuthorizer, subresource: KubeletSubresource): Promise<boolean> {
  const caller = callerOf(req);
  if (!caller) {
    await reply.code(401).type('text/plain').send('Unauthorized');
    return false;
  }
  if (!(await authorize(caller, subresource))) {
    await reply.code(403).type('text/plain').send(`Forbidden (user=${caller.username}, verb=get, resource=nodes, subresource=${subresource})`);
    return false;
  }
  return true;
}

export async function startKubeletServer(opts: KubeletServerOptions): Promise<FastifyInstance> {
  const { registry, logs, usage, pods, healthy, authorize } = opts;
  const app = Fastify({
    logger: false,
    forceCloseConnections: true,
    https: { cert: opts.tls.cert, key: opts.tls.key, ...(opts.tls.clientCa ? { ca: opts.tls.clientCa } : {}), requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2' },
  });
  const alive = (_req: FastifyRequest, reply: FastifyReply) => (healthy() ? reply.type('text/plain').send('ok') : reply.code(503).send('unhealthy'));
  app.get('/healthz', alive);
  app.get('/livez', alive);
  app.get('/readyz', (_req, reply) => reply.type('text/plain').send('ok'));
  app.get('/metrics', async (req, reply) => {
    if (!(await guard(req, reply, authorize, 'metrics'))) return reply;
    return reply.type(registry.contentType).send(await registry.metrics());
  });
  app.get('/metrics/resource', async (req, reply) => {
    if (!(await guard(req, reply, authorize, 'metrics'))) return reply;
    return reply.type(PROMETHEUS_TEXT).send(renderResourceMetrics(await usage.snapshot()));
  });
  // `only_cpu_and_memory=true` (what metrics-server asks for) changes nothing: that is all there is.
  app.get('/stats/summary', async (req, reply) => {
    if (!(await guard(req, reply, authorize, 'stats'))) return reply;
    return reply.type('application/json').send(summaryOf(await usage.snapshot()));
  });
  app.get('/pods', async (req, reply) => {
    if (!(await guard(req, reply, authorize, 'proxy'))) return reply;
    return reply.type('application/json').send(podList(pods.assigned()));
  });
  app.get('/runningpods/', async (req, reply) => {
    if (!(await guard(req, reply, authorize, 'proxy'))) return reply;
    return reply.type('application/json').send(podList(await pods.running()));
  });
  app.get('/configz', async (req, reply) => {
    if (!(await guard(req, reply, authorize, 'proxy'))) return reply;
    return reply.type('application/json').send(configzDocument(opts.configz));
  });
  app.get('/containerLogs/:ns/:pod/:container', async (req, reply) => {
    if (!(await guard(req, reply, authorize, 'proxy'))) return reply;
    const p = req.params as { ns: string; pod: string; container: string };
    const q = req.query as Query;
    const found = await logs.logPath(p.ns, p.pod, p.container, queryBool(q.previous));
    if (!found) return reply.code(404).type('text/plain').send(`container "${p.container}" in pod "${p.pod}" has no logs`);
    const tailLines = q.tailLines !== undefined && q.tailLines !== '' ? Math.max(0, Number(q.tailLines)) : undefined;
    const timestamps = queryBool(q.timestamps);
    const { text, size } = await readLog(found.path, { ...(tailLines !== undefined ? { tailLines } : {}), timestamps });
    if (!queryBool(q.follow)) return reply.type('text/plain').send(text);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
    res.write(text);
    const ctrl = new AbortController();
    req.raw.on('close', () => ctrl.abort());
    await followLog(found.path, size, (t) => res.write(t), async () => !(await found.running()), ctrl.signal, timestamps);
    res.end();
    return reply;
  });
  await app.listen({ host: opts.host, port: opts.port });
  return app;
}
