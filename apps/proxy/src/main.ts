#!/usr/bin/env node
// kite proxy, one per node (issue 6): listens on every Service's ClusterIP:port (unless
// --bind-cluster-ips=false) and on this node's IP at every NodePort, and forwards round-robin over
// ready endpoints: HTTP ports with http-proxy, other TCP ports as raw TCP, UDP ports as UDP
// sessions (l4/protocol-choice.ts). /healthz, /livez, /readyz, /metrics, /configz and /listeners
// on --node-ip:--port. Requests for a Service at zero replicas whose Deployment may scale from zero
// are held while one replica starts (activator/). Flags also read environment variables (flags
// win); see --help.
import { DeploymentResource, EventResource } from '@kite/api-types';
import { EventRecorder, installConnectionPool } from '@kite/client';
import { Command, createLogger, createMetricsRegistry, flag, onShutdown } from '@kite/component-base';
import { KubeClient } from '@kite/client';
import { ServiceCatalog } from './catalog/catalog.js';
import * as defaults from './config.js';
import { ProxyMetrics } from './metrics.js';
import { Proxier } from './proxier.js';
import { Activator } from './activator/activator.js';
import { DeploymentCatalog } from './activator/deployments.js';
import { DeploymentScaler } from './activator/scaler.js';
import { informerPodSource } from './activator/ready-pods.js';
import { closeServer, startHealthServer } from '@kite/component-base';
import { proxyConfigz } from './configz.js';

/** How long in-flight requests may take to finish at shutdown. */
const SHUTDOWN_DRAIN_MS = 2000;

const program = new Command('proxy')
  .description('Service proxy for one node: ClusterIPs and NodePorts, load-balanced over ready endpoints')
  .addOption(flag('kubeconfig', 'kubeconfig with the apiserver address and the proxy\'s credentials (system:kube-proxy)'))
  .addOption(flag('apiserver', `apiserver URL; overrides the kubeconfig's server (default ${defaults.DEFAULT_APISERVER})`))
  .addOption(flag('node-name', 'name of this node', defaults.DEFAULT_NODE_NAME))
  .addOption(flag('node-ip', "this node's IP (in 127.0.0.0/8); NodePorts and /healthz listen on it", defaults.DEFAULT_NODE_IP))
  .addOption(flag('port', 'port of /healthz, /livez, /readyz, /metrics, /configz and /listeners on the node IP', String(defaults.DEFAULT_PROXY_PORT)))
  .addOption(
    flag(
      'bind-cluster-ips',
      'listen on ClusterIPs (true/false). Proxies sharing one machine contend for each ClusterIP:port: one binds it, the others stand by and take over when it goes away',
      'true',
    ),
  )
  .addOption(flag('activator-queue-limit', 'requests held at most per Service while it scales from zero; more are answered 503 at once', String(defaults.DEFAULT_ACTIVATOR_QUEUE_LIMIT)))
  .addOption(flag('udp-idle-timeout', 'how long a UDP session (one client address to one endpoint) may stay idle before it ends (a duration: 60s, 500ms)', defaults.DEFAULT_UDP_IDLE_TIMEOUT))
  .addOption(flag('activator-timeout', 'longest a request is held for a Service scaling from zero before it is answered 503 (a duration: 30s, 1m)', defaults.DEFAULT_ACTIVATOR_TIMEOUT))
  .parse();
// Services, EndpointSlices and Deployments are watched, and the pods of a Service while it scales
// from zero; everything else is short requests over a bounded pool.
installConnectionPool(4);

const logger = createLogger('proxy');
try {
  const cfg = defaults.proxyConfig(program.opts<defaults.RawFlags>());
  const registry = createMetricsRegistry('proxy');
  const client = new KubeClient({ ...cfg.apiserver, userAgent: `kube-proxy/${cfg.nodeName}` });
  const onError = (err: unknown, phase: string) => logger.warn({ err, phase }, 'informer error');
  const catalog = new ServiceCatalog({ client, onError });
  const deployments = new DeploymentCatalog({ client, onError });
  const metrics = new ProxyMetrics(registry);
  const events = new EventRecorder({ client: client.resource(EventResource), component: 'kube-proxy', host: cfg.nodeName, onError: (err) => logger.debug({ err }, 'event not recorded') });
  const activator = new Activator({
    deployments,
    services: (key) => catalog.service(key),
    scaler: new DeploymentScaler(client.resource(DeploymentResource)),
    pods: informerPodSource(client, onError),
    metrics,
    log: logger,
    queueLimit: cfg.activatorQueueLimit,
    timeoutMs: cfg.activatorTimeoutMs,
    onScaledUp: (d, message) => void events.event(d, 'Normal', 'ScaledFromZero', message),
  });
  const proxier = new Proxier({ catalog, metrics, log: logger, nodeIP: cfg.nodeIP, bindClusterIPs: cfg.bindClusterIPs, activator, udpIdleTimeoutMs: cfg.udpIdleTimeoutMs });
  const ready = () => proxier.ready() && deployments.hasSynced();
  const health = await startHealthServer({ host: cfg.nodeIP, port: cfg.port, registry, ready, configz: proxyConfigz(cfg), json: { '/listeners': () => proxier.listenerStates() } });
  onShutdown(logger, async () => {
    await proxier.stop(SHUTDOWN_DRAIN_MS);
    await deployments.stop();
    await events.flush();
    await closeServer(health);
  });
  await Promise.all([proxier.start(), deployments.start()]);
  logger.info({ node: cfg.nodeName, nodeIP: cfg.nodeIP, port: cfg.port, bindClusterIPs: cfg.bindClusterIPs, activatorQueueLimit: cfg.activatorQueueLimit, activatorTimeoutMs: cfg.activatorTimeoutMs }, 'proxy started');
} catch (err) {
  logger.fatal({ err }, 'proxy failed to start');
  process.exit(1);
}
