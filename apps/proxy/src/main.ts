#!/usr/bin/env node
// kite proxy, one per node (issue 6): listens on every Service's ClusterIP:port (unless
// --bind-cluster-ips=false) and on this node's IP at every NodePort, and forwards HTTP round-robin
// over ready endpoints with http-proxy. /healthz, /readyz, /metrics and /listeners on
// --node-ip:--port. Flags also read environment variables (flags win); see --help.
import { installConnectionPool } from '@kite/client';
import { Command, createLogger, createMetricsRegistry, flag, onShutdown } from '@kite/component-base';
import { KubeClient } from '@kite/client';
import { ServiceCatalog } from './catalog/catalog.js';
import * as defaults from './config.js';
import { ProxyMetrics } from './metrics.js';
import { Proxier } from './proxier.js';
import { startHealthServer } from '@kite/component-base';

/** How long in-flight requests may take to finish at shutdown. */
const SHUTDOWN_DRAIN_MS = 2000;

const program = new Command('proxy')
  .description('Service proxy for one node: ClusterIPs and NodePorts, load-balanced over ready endpoints')
  .addOption(flag('kubeconfig', 'kubeconfig with the apiserver address and the proxy\'s credentials (system:kube-proxy)'))
  .addOption(flag('apiserver', `apiserver URL; overrides the kubeconfig's server (default ${defaults.DEFAULT_APISERVER})`))
  .addOption(flag('node-name', 'name of this node', defaults.DEFAULT_NODE_NAME))
  .addOption(flag('node-ip', "this node's IP (in 127.0.0.0/8); NodePorts and /healthz listen on it", defaults.DEFAULT_NODE_IP))
  .addOption(flag('port', 'port of /healthz, /readyz, /metrics and /listeners on the node IP', String(defaults.DEFAULT_PROXY_PORT)))
  .addOption(
    flag(
      'bind-cluster-ips',
      'listen on ClusterIPs (true/false). Proxies sharing one machine contend for each ClusterIP:port: one binds it, the others stand by and take over when it goes away',
      'true',
    ),
  )
  .parse();
// Pods and Services are watched; everything else is short requests over a bounded pool.
installConnectionPool(2);

const logger = createLogger('proxy');
try {
  const cfg = defaults.proxyConfig(program.opts<defaults.RawFlags>());
  const registry = createMetricsRegistry('proxy');
  const client = new KubeClient({ ...cfg.apiserver, userAgent: `kube-proxy/${cfg.nodeName}` });
  const catalog = new ServiceCatalog({ client, onError: (err, phase) => logger.warn({ err, phase }, 'informer error') });
  const proxier = new Proxier({ catalog, metrics: new ProxyMetrics(registry), log: logger, nodeIP: cfg.nodeIP, bindClusterIPs: cfg.bindClusterIPs });
  const health = await startHealthServer({ host: cfg.nodeIP, port: cfg.port, registry, ready: () => proxier.ready(), json: { '/listeners': () => proxier.listenerStates() } });
  onShutdown(logger, async () => {
    await proxier.stop(SHUTDOWN_DRAIN_MS);
    health.closeAllConnections();
    await new Promise<void>((resolve) => health.close(() => resolve()));
  });
  await proxier.start();
  logger.info({ node: cfg.nodeName, nodeIP: cfg.nodeIP, port: cfg.port, bindClusterIPs: cfg.bindClusterIPs }, 'proxy started');
} catch (err) {
  logger.fatal({ err }, 'proxy failed to start');
  process.exit(1);
}
