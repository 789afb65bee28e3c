#!/usr/bin/env node
// kite cluster DNS (issue 6): answers SVC.NS.svc.<cluster domain> and SVC.NS with Service
// addresses (headless: ready pod IPs), NXDOMAIN for everything else, over UDP and TCP on a loopback
// address. One per cluster, like CoreDNS — not one per node: it needs no node, and on one machine
// several copies would contend for one address. It shares the proxy's catalog code and watches
// Services and EndpointSlices itself. /healthz, /readyz and /metrics on --dns-address:--port.
import { Command, Counter, createLogger, createMetricsRegistry, flag, onShutdown } from '@kite/component-base';
import { KubeClient } from '@kite/client';
import { ServiceCatalog } from './catalog/catalog.js';
import * as defaults from './config.js';
import { ClusterDns } from './dns/dns-server.js';
import { closeServer, startHealthServer } from '@kite/component-base';

const program = new Command('kite-dns')
  .description('Cluster DNS: Service names to ClusterIPs (headless: ready pod IPs)')
  .addOption(flag('kubeconfig', 'kubeconfig with the apiserver address and the DNS server\'s credentials'))
  .addOption(flag('apiserver', `apiserver URL; overrides the kubeconfig's server (default ${defaults.DEFAULT_APISERVER})`))
  .addOption(flag('dns-address', 'loopback address to answer DNS on (UDP and TCP)', defaults.DEFAULT_DNS_ADDRESS))
  .addOption(flag('dns-port', 'DNS port (UDP and TCP)', String(defaults.DEFAULT_DNS_PORT)))
  .addOption(flag('port', 'port of /healthz, /readyz and /metrics on the DNS address', String(defaults.DEFAULT_DNS_HEALTH_PORT)))
  .addOption(flag('cluster-domain', 'the cluster domain', defaults.DEFAULT_CLUSTER_DOMAIN))
  .parse();

const logger = createLogger('dns');
try {
  const cfg = defaults.dnsConfig(program.opts<defaults.RawFlags>());
  const registry = createMetricsRegistry('dns');
  const answers = new Counter({ name: 'kite_dns_responses_total', help: 'DNS responses by rcode (0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN)', labelNames: ['rcode'], registers: [registry] });
  const catalog = new ServiceCatalog({ client: new KubeClient({ ...cfg.apiserver, userAgent: 'kite-dns' }), onError: (err, phase) => logger.warn({ err, phase }, 'informer error') });
  const dns = new ClusterDns({ lookup: catalog, clusterDomain: cfg.clusterDomain, log: logger, onAnswer: (rcode) => answers.inc({ rcode: String(rcode) }) });
  const health = await startHealthServer({ host: cfg.dnsAddress, port: cfg.port, registry, ready: () => catalog.hasSynced() });
  await catalog.start();
  await dns.listen(cfg.dnsAddress, cfg.dnsPort);
  logger.info({ address: cfg.dnsAddress, port: cfg.dnsPort, domain: cfg.clusterDomain }, 'cluster dns started');
  onShutdown(logger, async () => {
    await dns.close();
    await catalog.stop();
    await closeServer(health);
  });
} catch (err) {
  logger.fatal({ err }, 'cluster dns failed to start');
  process.exit(1);
}
