// Wires the apiserver: the Redis store and its watch cache, the REST registry, the request path's
// filters (authentication → audit → impersonation → authorization, as Kubernetes' DefaultBuildHandlerChain
// orders them) and the HTTP routes (health, metrics, discovery, OpenAPI and the resource paths).
// The API is served over TLS only (BRIEF §12).
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Logger } from '@kite/component-base';
import { Counter, Gauge, Histogram, createMetricsRegistry, type Registry } from '@kite/component-base';
import { NamespaceResource, allResources, validateResource } from '@kite/api-types';
import { ApiError, failureStatus, isApiError, reasonForCode, statusFromUnknown } from '@kite/apimachinery';
import { Store, createRedis, DEFAULT_HISTORY } from './storage/store.js';
import { WatchCache } from './storage/watch-cache.js';
import { StorageCodec } from './storage/codec.js';
import type { ResourceTransformer } from './storage/encryption/transformer.js';
import { RestStorage } from './registry/rest.js';
import { ServiceAllocator } from './registry/service-allocator.js';
import { parseResourcePath, pathNotFound } from './http/paths.js';
import { handleResource, type HandlerDeps } from './http/resource-handler.js';
import { apiGroupDoc, apiGroupList, apiResourceList, apiVersions, VERSION_INFO } from './http/discovery.js';
import { registerOpenApi } from './http/openapi-routes.js';
import { PROTOBUF_MEDIA_TYPE } from './http/protobuf.js';
import { podLogsHandler } from './http/pod-logs.js';
import { buildAuthenticator, type AuthenticationOptions } from './auth/authentication.js';
import { buildAuthorization } from './auth/authorization.js';
import type { ObjectLookup } from './auth/authenticators/lookup.js';
import { installFilters } from './filters/chain.js';
import type { AuditBackend } from './audit/backend.js';
import type { Policy } from './audit/policy.js';
import { ensureBootstrapPolicy } from './auth/bootstrap.js';
import { ensureBuiltinRuntimeClasses } from './bootstrap/runtime-classes.js';
import { TokenIssuer } from './auth/tokens/issuer.js';
import { buildAdmission } from './admission/setup.js';
import { RbacEscalationPlugin } from './admission/rbac-escalation.js';
import type { PluginSelection } from './admission/registry.js';
import { CUSTOM_METRICS_PREFIX, DEFAULT_METRIC_RESOLUTION_MS, DEFAULT_PROXY_METRICS_PORT, startMetricsApis } from './metrics/index.js';

/** Kubernetes' default limit on a request body (3 MiB). */
export const DEFAULT_MAX_REQUEST_BYTES = 3 * 1024 * 1024;
/** Kubernetes' default when `--authorization-mode` is not given by kubeadm: Node, then RBAC. */
export const DEFAULT_AUTHORIZATION_MODES = ['Node', 'RBAC'];
/** Namespaces every cluster has from the start. */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export interface ApiServerOptions {
  redisUrl: string;
  port: number;
  host: string;
  /** Revisions of watch history kept; older watches get 410. */
  watchHistory?: number;
  maxRequestBytes?: number;
  bookmarkIntervalMs?: number;
  /** Where Service cluster IPs come from (loopback by default). */
  serviceCidr?: string;
  /** NodePort range, `MIN-MAX`. */
  nodePortRange?: string;
  /** Serving certificate and key (PEM), and the CA that client certificates must chain to. */
  tls: { cert: string; key: string; clientCa?: string };
  authentication: AuthenticationOptions & {
    /** `--anonymous-auth`: requests without credentials may read the health paths and /version. */
    anonymous: boolean;
  };
  /** `--authorization-mode`, in order (default Node,RBAC). */
  authorizationModes?: string[];
  /** `--enable-admission-plugins` / `--disable-admission-plugins`. */
  admission?: PluginSelection;
  /** Seconds every pod tolerates a not-ready or unreachable node before eviction (default 300). */
  defaultTolerations?: { notReadySeconds?: number; unreachableSeconds?: number };
  /** Redis password (from a file or REDIS_PASSWORD, never argv). */
  redisPassword?: string;
  /** `--encryption-provider-config`: resource → transformer for encryption at rest. */
  encryption?: ReadonlyMap<string, ResourceTransformer>;
  /** `--audit-policy-file` and `--audit-log-path`: what is audited, and where events go. */
  audit?: { policy: Policy; backend: AuditBackend };
  /** Signs ServiceAccount tokens for the TokenRequest API and projected volumes. */
  serviceAccountSigningKeyFile?: string;
  /** How the apiserver calls kubelets (logs): its client certificate and the kubelets' CA. */
  kubeletClient?: { cert: string; key: string; ca?: string };
  /** `--metric-resolution` (ms) and `--proxy-metrics-port` (0: no request-rate metric) of the metrics APIs. */
  metrics?: { resolutionMs?: number; proxyPort?: number };
  logger: Logger;
}

export interface RunningApiServer {
  url: string;
  app: FastifyInstance;
  store: Store;
  cache: WatchCache;
  close(): Promise<void>;
}

function sendStatus(reply: FastifyReply, err: unknown, log: Logger): void {
  let status;
  if (isApiError(err)) status = err.status;
  else {
    const fe = err as FastifyError;
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') status = failureStatus(413, 'RequestEntityTooLarge', 'Request entity too large: limit is exceeded');
    else if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) status = failureStatus(fe.statusCode, reasonForCode(fe.statusCode), fe.message);
    else {
      log.error({ err }, 'internal error');
      status = statusFromUnknown(err);
    }
  }
  if (reply.sent || reply.raw.headersSent) return;
  void reply.code(status.code).type('application/json').send(JSON.stringify(status));
}

function metrics(registry: Registry) {
  return {
    requests: new Counter({ name: 'apiserver_request_total', help: 'Requests by verb, resource and code.', labelNames: ['verb', 'resource', 'code'], registers: [registry] }),
    latency: new Histogram({ name: 'apiserver_request_duration_seconds', help: 'Request latency by verb and resource.', labelNames: ['verb', 'resource'], buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers: [registry] }),
    watchers: new Gauge({ name: 'apiserver_registered_watchers', help: 'Open watches.', registers: [registry] }),
  };
}

/** Compiles every kind's validator now, so the first request of a kind is not slow. */
function warmUpValidators(): void {
  for (const rt of allResources) validateResource(rt, { apiVersion: rt.apiVersion, kind: rt.kind, metadata: { name: 'warm-up' } });
}

async function ensureSystemNamespaces(rest: RestStorage): Promise<void> {
  for (const name of SYSTEM_NAMESPACES) {
    try {
      await rest.create({ rt: NamespaceResource as never }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    } catch (err) {
      if (!(isApiError(err) && err.code === 409)) throw err;
    }
  }
}

export async function startApiServer(opts: ApiServerOptions): Promise<RunningApiServer> {
  const log = opts.logger;
  const history = opts.watchHistory ?? DEFAULT_HISTORY;
  const codec = new StorageCodec(opts.encryption);
  const store = new Store({ redisUrl: opts.redisUrl, history, codec, ...(opts.redisPassword ? { password: opts.redisPassword } : {}) });
  await store.connect();
  const cache = new WatchCache(createRedis(opts.redisUrl, opts.redisPassword), history, opts.bookmarkIntervalMs, codec);
  await cache.start();
  const rest = new RestStorage(store, new ServiceAllocator(store.redis, opts.serviceCidr, opts.nodePortRange), () => cache.oldestResumable);
  warmUpValidators();
  await ensureSystemNamespaces(rest);

  const registry = createMetricsRegistry('apiserver');
  const m = metrics(registry);
  const lookup: ObjectLookup = { get: (resource, namespace, name) => store.get({ resource, namespace, name }) };
  const authorization = buildAuthorization(opts.authorizationModes ?? DEFAULT_AUTHORIZATION_MODES, rest, cache);
  await ensureBootstrapPolicy(rest);
  await ensureBuiltinRuntimeClasses(rest);
  rest.admission = buildAdmission(rest, store, opts.admission ?? {}, {
    ...(opts.defaultTolerations ? { tolerations: opts.defaultTolerations } : {}),
    always: [new RbacEscalationPlugin(authorization.rbac, authorization.authorizer)],
  });
  await authorization.start();
  const app = Fastify({
    bodyLimit: opts.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES,
    logger: false,
    return503OnClosing: true,
    forceCloseConnections: true,
    // Client certificates are asked for, not required: the x509 authenticator decides (a token
    // may authenticate instead), and an unverifiable certificate is a 401, not a failed handshake.
    https: { cert: opts.tls.cert, key: opts.tls.key, ...(opts.tls.clientCa ? { ca: opts.tls.clientCa } : {}), requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2' },
  });
  const authenticator = buildAuthenticator(opts.authentication, lookup);
  const issuer = opts.serviceAccountSigningKeyFile ? TokenIssuer.fromFile(opts.serviceAccountSigningKeyFile, opts.authentication.serviceAccountIssuer) : undefined;
  const apiAudiences = opts.authentication.apiAudiences && opts.authentication.apiAudiences.length > 0 ? opts.authentication.apiAudiences : [opts.authentication.serviceAccountIssuer];
  const reviews = { authenticator, authorizer: authorization.authorizer, rulesFor: authorization.rulesFor, apiAudiences, ...(issuer ? { issuer } : {}) };
  installFilters(app, {
    authenticator,
    anonymous: opts.authentication.anonymous,
    authorizer: authorization.authorizer,
    ...(opts.audit ? { audit: opts.audit } : {}),
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.addContentTypeParser(PROTOBUF_MEDIA_TYPE, { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.setErrorHandler((err, _req, reply) => sendStatus(reply, err, log));
  app.setNotFoundHandler((_req, reply) => sendStatus(reply, pathNotFound(), log));
  app.addHook('onResponse', async (req, reply) => {
    const resource = (req.url.split('?')[0] ?? '').split('/').slice(0, 6).join('/');
    m.requests.inc({ verb: req.method, resource, code: reply.statusCode });
    m.latency.observe({ verb: req.method, resource }, reply.elapsedTime / 1000);
  });

  const ok = (reply: FastifyReply) => reply.type('text/plain').send('ok');
  app.get('/healthz', (_req, reply) => ok(reply));
  app.get('/livez', (_req, reply) => ok(reply));
  app.get('/readyz', async (_req, reply) => {
    if (!(await store.ping())) return reply.code(503).type('text/plain').send('redis: not reachable');
    return ok(reply);
  });
  app.get('/metrics', async (_req, reply) => {
    m.watchers.set(cache.watcherCount);
    return reply.type(registry.contentType).send(await registry.metrics());
  });
  app.get('/version', (_req, reply) => reply.send(VERSION_INFO));
  app.get('/api', (_req, reply) => reply.send(apiVersions()));
  app.get('/apis', (_req, reply) => reply.send(apiGroupList()));
  app.get('/api/:version', (req, reply) => {
    const doc = apiResourceList('', (req.params as { version: string }).version);
    return doc ? reply.send(doc) : sendStatus(reply, pathNotFound(), log);
  });
  app.get('/apis/:group', (req, reply) => {
    const doc = apiGroupDoc((req.params as { group: string }).group);
    return doc ? reply.send(doc) : sendStatus(reply, pathNotFound(), log);
  });
  app.get('/apis/:group/:version', (req, reply) => {
    const p = req.params as { group: string; version: string };
    const doc = apiResourceList(p.group, p.version);
    return doc ? reply.send(doc) : sendStatus(reply, pathNotFound(), log);
  });
  registerOpenApi(app);

  const metricsApis = await startMetricsApis(rest, cache, {
    resolutionMs: opts.metrics?.resolutionMs ?? DEFAULT_METRIC_RESOLUTION_MS,
    proxyPort: opts.metrics?.proxyPort ?? DEFAULT_PROXY_METRICS_PORT,
    ...(opts.kubeletClient ? { kubeletClient: opts.kubeletClient } : {}),
    log: log.child({ loop: 'metrics' }),
  });
  app.route({
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    url: `${CUSTOM_METRICS_PREFIX}*`,
    handler: (req, reply) => reply.type('application/json').send(JSON.stringify(metricsApis.custom.serve(req.method, req.url, req.query as Record<string, string | undefined>))),
  });
  const deps: HandlerDeps = { rest, cache, podLogs: podLogsHandler(rest, opts.kubeletClient), reviews, lookup, computed: metricsApis.resource };
  const resourceRoute = async (req: Parameters<typeof handleResource>[0], reply: FastifyReply) => {
    const path = parseResourcePath(req.url);
    if (!path) throw pathNotFound();
    await handleResource(req, reply, path, deps);
  };
  for (const prefix of ['/api/*', '/apis/*']) {
    app.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], url: prefix, handler: resourceRoute });
  }

  await app.listen({ port: opts.port, host: opts.host });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  const url = `https://${opts.host}:${port}`;
  log.info({ url, redis: opts.redisUrl, history }, 'apiserver listening');
  return {
    url,
    app,
    store,
    cache,
    close: async () => {
      authorization.stop();
      await metricsApis.stop();
      await cache.stop();
      await app.close();
      await opts.audit?.backend.close();
      await store.close();
    },
  };
}

export { ApiError };
