#!/usr/bin/env node
// `npm run cluster`: starts redis-server (unless --redis-url), the apiserver, scheduler, controller
// manager and N nodes (a kubelet and a proxy each), shows progress, and ends with a summary and
// the `export KUBECONFIG=...` line. Ctrl-C stops everything; starting again keeps the state.
import { builtPlugins } from './runtime-plugins.js';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, flag, intFlag } from '@kite/component-base';
import { checkPrerequisites } from './prerequisites.js';
import { runCluster } from './cluster.js';
import { CLUSTER_CIDR, DEFAULT_KUBELET_PORT, NODE_IP_PREFIX, SERVICE_CIDR } from './topology.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

const program = new Command('cluster')
  .description('Starts a complete local kite cluster')
  .addOption(flag('nodes', 'number of nodes (a kubelet and a proxy each)', '2'))
  .addOption(flag('redis-url', 'use this Redis instead of spawning redis-server'))
  .addOption(flag('state-dir', 'where the cluster keeps its data, logs and kubeconfig', join(repoRoot, '.kite')))
  .addOption(flag('apiserver-port', 'apiserver port on 127.0.0.1', '6443'))
  .addOption(flag('redis-port', 'port of the spawned redis-server', '16379'))
  .addOption(flag('cluster-cidr', 'pod IP range the controller manager splits among nodes', CLUSTER_CIDR))
  .addOption(flag('service-cidr', 'Service cluster IP range', SERVICE_CIDR))
  .addOption(flag('node-ip-prefix', 'node k gets PREFIX.k as its IP (all loopback)', NODE_IP_PREFIX))
  .addOption(flag('kubelet-port', 'port of each kubelet API on its node IP', String(DEFAULT_KUBELET_PORT)))
  .addOption(flag('dns-address', 'loopback address of the cluster DNS server', '127.0.0.10'))
  .addOption(flag('dns-port', 'cluster DNS port (53 needs root)', process.getuid?.() === 0 ? '53' : '10053'))
  .addOption(flag('scheduler-port', 'scheduler /healthz and /metrics port on 127.0.0.1 (0: any free port)', '10259'))
  .addOption(flag('controller-port', 'controller manager /healthz and /metrics port on 127.0.0.1 (0: any free port)', '10257'))
  .addOption(flag('runtimes', 'runtimes the nodes offer: wasm, docker, hollow, wasmer (a plugin process per node) (comma list); by default wasm, plus docker when a Docker engine answers, plus wasmer when apps/runtime-wasmer is built'))
  .parse();

const o = program.opts<Record<string, string | undefined>>();
const stateDir = resolve(o.stateDir ?? join(repoRoot, '.kite'));
mkdirSync(join(stateDir, 'logs'), { recursive: true });
// Asked for explicitly, docker must be there; by default each kubelet offers it when the engine answers.
// wasmer (apps/runtime-wasmer) joins the defaults once it is built.
const runtimes = (o.runtimes ?? ['wasm', 'docker', ...builtPlugins(repoRoot)].join(',')).split(',').map((r) => r.trim()).filter(Boolean);
const app = (name: string) => join(repoRoot, 'apps', name, 'dist', 'main.js');
const problems = checkPrerequisites({
  spawnRedis: !o.redisUrl,
  docker: o.runtimes !== undefined && runtimes.includes('docker'),
  builtApps: ['apiserver', 'scheduler', 'controller', 'kubelet', 'proxy'].map(app),
});
if (problems.length > 0) {
  for (const p of problems) console.error(`✗ ${p.what}\n  fix: ${p.fix}`);
  process.exit(1);
}
await runCluster({
  nodes: intFlag('nodes', o.nodes, 2),
  stateDir,
  repoRoot,
  ...(o.redisUrl ? { redisUrl: o.redisUrl } : {}),
  apiserverPort: intFlag('apiserver-port', o.apiserverPort, 6443),
  redisPort: intFlag('redis-port', o.redisPort, 16379),
  runtimes,
  clusterCidr: o.clusterCidr ?? CLUSTER_CIDR,
  serviceCidr: o.serviceCidr ?? SERVICE_CIDR,
  nodeIpPrefix: o.nodeIpPrefix ?? NODE_IP_PREFIX,
  kubeletPort: intFlag('kubelet-port', o.kubeletPort, DEFAULT_KUBELET_PORT),
  dnsAddress: o.dnsAddress ?? '127.0.0.10',
  dnsPort: intFlag('dns-port', o.dnsPort, 53),
  schedulerPort: intFlag('scheduler-port', o.schedulerPort, 10259),
  controllerPort: intFlag('controller-port', o.controllerPort, 10257),
});
