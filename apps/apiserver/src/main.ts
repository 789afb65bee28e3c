#!/usr/bin/env node
// kite apiserver: the Kubernetes-style REST API over Redis. Flags also read environment variables.
import { Command, createLogger, flag, intFlag, onShutdown } from '@kite/component-base';
import { DEFAULT_MAX_REQUEST_BYTES, startApiServer } from './server.js';
import { DEFAULT_HISTORY } from './storage/store.js';
import { DEFAULT_NODE_PORT_RANGE, DEFAULT_SERVICE_CIDR } from './registry/service-allocator.js';

const program = new Command('apiserver')
  .description('Serves the Kubernetes REST API over a Redis store')
  .addOption(flag('port', 'port to listen on', '6443'))
  .addOption(flag('bind-address', 'address to listen on (loopback by default)', '127.0.0.1'))
  .addOption(flag('redis-url', 'Redis URL', 'redis://127.0.0.1:6379'))
  .addOption(flag('watch-history', 'revisions of change history kept for watches; older resourceVersions get 410 Gone', String(DEFAULT_HISTORY)))
  .addOption(flag('max-request-bytes', 'largest request body accepted; larger ones get 413', String(DEFAULT_MAX_REQUEST_BYTES)))
  .addOption(flag('service-cluster-ip-range', 'CIDR Service cluster IPs are allocated from', DEFAULT_SERVICE_CIDR))
  .addOption(flag('service-node-port-range', 'range NodePorts are allocated from', DEFAULT_NODE_PORT_RANGE))
  .addOption(flag('bookmark-interval-ms', 'how often watches with allowWatchBookmarks get a BOOKMARK', '10000'))
  .parse();

const o = program.opts<Record<string, string>>();
const logger = createLogger('apiserver');
try {
  const server = await startApiServer({
    port: intFlag('port', o.port, 6443),
    host: o.bindAddress ?? '127.0.0.1',
    redisUrl: o.redisUrl ?? 'redis://127.0.0.1:6379',
    watchHistory: intFlag('watch-history', o.watchHistory, DEFAULT_HISTORY),
    maxRequestBytes: intFlag('max-request-bytes', o.maxRequestBytes, DEFAULT_MAX_REQUEST_BYTES),
    bookmarkIntervalMs: intFlag('bookmark-interval-ms', o.bookmarkIntervalMs, 10_000),
    serviceCidr: o.serviceClusterIpRange ?? DEFAULT_SERVICE_CIDR,
    nodePortRange: o.serviceNodePortRange ?? DEFAULT_NODE_PORT_RANGE,
    logger,
  });
  onShutdown(logger, () => server.close());
} catch (err) {
  logger.fatal({ err }, 'apiserver failed to start');
  process.exit(1);
}
