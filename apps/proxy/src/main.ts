#!/usr/bin/env node
// kite proxy: load-balances Service cluster IPs and NodePorts over ready endpoints (issue 6).
// This build serves health endpoints only.
import Fastify from 'fastify';
import { Command, createLogger, flag, intFlag, onShutdown } from '@kite/component-base';

const program = new Command('proxy')
  .description('Service proxy for one node')
  .addOption(flag('apiserver', 'apiserver URL', 'http://127.0.0.1:6443'))
  .addOption(flag('node-name', 'name of this node', 'node-1'))
  .addOption(flag('node-ip', 'this node\'s IP', '127.1.0.1'))
  .addOption(flag('port', 'port for /healthz and /metrics on the node IP', '10256'))
  .parse();
const o = program.opts<Record<string, string | undefined>>();
const logger = createLogger('proxy');
const app = Fastify({ logger: false });
app.get('/healthz', (_req, reply) => reply.type('text/plain').send('ok'));
await app.listen({ host: o.nodeIp ?? '127.1.0.1', port: intFlag('port', o.port, 10256) });
logger.info({ node: o.nodeName }, 'proxy started');
onShutdown(logger, () => app.close());
