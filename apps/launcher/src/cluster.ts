// Brings the cluster up in order (Redis → apiserver → control plane → nodes), waits for each to be
// ready, prints a summary, and tears everything down in reverse order on SIGINT/SIGTERM.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Connection } from '@kite/client';
import { stopDaemon } from '@kite/kubelet/daemon';
import { ADMIN, APISERVER_KUBELET_CLIENT, CONTROLLER_MANAGER, KUBE_DNS, KUBE_PROXY, SCHEDULER, ensureClusterPki, nodeIdentity, type PkiFiles } from '@kite/pki';
import { writeComponentKubeconfig, writeKubeconfig } from './kubeconfig.js';
import { Supervised, type ComponentSpec, type SupervisorEvent } from './supervisor.js';
import { APISERVER_HOST, nodeTopology } from './topology.js';
import { ensureEncryptionConfig, ensureRedisConfig } from './state-secrets.js';
import { waitForNodesReady, waitForUrl } from './readiness.js';
import { ensureRuntimeClass, isPluginRuntime, pluginLaunch } from './runtime-plugins.js';

export interface ClusterOptions {
  nodes: number;
  stateDir: string;
  repoRoot: string;
  redisUrl?: string;
  apiserverPort: number;
  redisPort: number;
  runtimes: string[];
  clusterCidr: string;
  serviceCidr: string;
  nodeIpPrefix: string;
  kubeletPort: number;
  dnsAddress: string;
  dnsPort: number;
  /** Ports of the scheduler's and controller manager's /healthz and /metrics (0: any free one). */
  schedulerPort: number;
  controllerPort: number;
}

const say = (msg: string) => process.stdout.write(`${msg}\n`);

/** The first address of the Service range: the `kubernetes` Service's, named in the apiserver certificate. */
function firstServiceIP(cidr: string): string {
  const [base = '', bits = '32'] = cidr.split('/');
  const n = base.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const mask = Number(bits) === 0 ? 0 : (0xffffffff << (32 - Number(bits))) >>> 0;
  const first = ((n & mask) >>> 0) + 1;
  return [24, 16, 8, 0].map((s) => (first >>> s) & 255).join('.');
}

async function connectionFor(pki: PkiFiles, server: string, id: typeof ADMIN): Promise<Connection> {
  const f = pki.certFor(id);
  return { server, tls: { ca: readFileSync(pki.caCert, 'utf8'), cert: readFileSync(f.cert, 'utf8'), key: readFileSync(f.key, 'utf8') } };
}

export async function runCluster(opts: ClusterOptions): Promise<void> {
  const started = Date.now();
  const running: Supervised[] = [];
  const topology = nodeTopology(opts.nodes, opts.nodeIpPrefix);
  const kubeletRoot = join(opts.stateDir, 'kubelet');
  const onEvent = (e: SupervisorEvent) => say(`! ${e.name} exited (${e.signal ?? `code ${e.code}`}); restarting in ${e.delayMs} ms`);
  const node = process.execPath;
  const app = (name: string) => join(opts.repoRoot, 'apps', name, 'dist', 'main.js');
  /** Components in start order, grouped: each group stops together, groups in reverse order. */
  const groups: Supervised[][] = [];
  const launch = (spec: Omit<ComponentSpec, 'logFile'>, group: number) => {
    const s = new Supervised({ ...spec, logFile: join(opts.stateDir, 'logs', `${spec.name}.log`) }, onEvent);
    s.start();
    running.push(s);
    (groups[group] ??= []).push(s);
    return s;
  };
  let stopping = false;
  const stopAll = async () => {
    if (stopping) return;
    stopping = true;
    say('\nstopping the cluster ...');
    // Ctrl-C reaches every child at once: none of them may be restarted from here on.
    for (const s of running) s.expectExit();
    for (const group of [...groups].reverse()) await Promise.all((group ?? []).map((s) => s.stop()));
    // Kubelets leave their pods running on purpose (as Kubernetes' do); the cluster is going away.
    for (const n of topology) stopDaemon(join(kubeletRoot, n.name), 'wasm');
    say('stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stopAll());
  process.on('SIGTERM', () => void stopAll());

  let redisUrl = opts.redisUrl;
  // With --redis-url, the password (if any) comes from REDIS_PASSWORD, which the apiserver inherits.
  let redisAuth: string[] = [];
  if (!redisUrl) {
    const redis = ensureRedisConfig(opts.stateDir, opts.redisPort);
    launch({ name: 'redis', command: 'redis-server', args: [redis.conf] }, 0);
    redisUrl = `redis://127.0.0.1:${opts.redisPort}`;
    redisAuth = ['--redis-password-file', redis.passwordFile];
    say(`✓ redis-server on ${redisUrl} (password in ${redis.passwordFile}, data in ${redis.dir})`);
  }
  const api = `https://${APISERVER_HOST}:${opts.apiserverPort}`;
  // The PKI: made on the first start, reused (and completed for new nodes) later.
  const pki = await ensureClusterPki(join(opts.stateDir, 'pki'), { apiserverHosts: [APISERVER_HOST, firstServiceIP(opts.serviceCidr)], nodes: topology });
  const kubeconfigFor = (id: Parameters<typeof writeComponentKubeconfig>[2]) => writeComponentKubeconfig(pki, api, id);
  const kubeletClient = pki.certFor(APISERVER_KUBELET_CLIENT);
  launch({
    name: 'apiserver',
    command: node,
    args: [
      app('apiserver'), '--port', String(opts.apiserverPort), '--bind-address', APISERVER_HOST, '--redis-url', redisUrl, ...redisAuth, '--service-cluster-ip-range', opts.serviceCidr,
      '--encryption-provider-config', ensureEncryptionConfig(opts.stateDir),
      '--tls-cert-file', pki.apiserverCert, '--tls-private-key-file', pki.apiserverKey, '--client-ca-file', pki.caCert,
      '--service-account-key-file', pki.serviceAccountPub, '--service-account-signing-key-file', pki.serviceAccountKey,
      '--kubelet-client-certificate', kubeletClient.cert, '--kubelet-client-key', kubeletClient.key, '--kubelet-certificate-authority', pki.caCert,
    ],
  }, 1);
  await waitForUrl(`${api}/readyz`, 20_000, readFileSync(pki.caCert, 'utf8'));
  say(`✓ apiserver on ${api} (TLS; PKI in ${pki.dir})`);
  launch({ name: 'scheduler', command: node, args: [app('scheduler'), '--kubeconfig', kubeconfigFor(SCHEDULER), '--port', String(opts.schedulerPort)] }, 2);
  launch({ name: 'controller', command: node, args: [app('controller'), '--kubeconfig', kubeconfigFor(CONTROLLER_MANAGER), '--root-ca-file', pki.caCert, '--cluster-cidr', opts.clusterCidr, '--port', String(opts.controllerPort)] }, 2);
  launch({ name: 'dns', command: node, args: [join(opts.repoRoot, 'apps', 'proxy', 'dist', 'dns-main.js'), '--kubeconfig', kubeconfigFor(KUBE_DNS), '--dns-address', opts.dnsAddress, '--dns-port', String(opts.dnsPort), '--port', '0'] }, 2);
  say(`✓ scheduler, controller manager and cluster DNS (${opts.dnsAddress}:${opts.dnsPort}) started`);
  const builtin = opts.runtimes.filter((r) => !isPluginRuntime(r));
  const plugins = opts.runtimes.filter(isPluginRuntime);
  for (const n of topology) {
    const serving = pki.kubeletServing(n.name);
    // Plugins start first; the kubelet waits for their sockets (and reconnects when one restarts).
    const endpoints = plugins.map((handler) => {
      const p = pluginLaunch(opts.repoRoot, handler, n.name, join(kubeletRoot, n.name));
      launch({ name: p.name, command: node, args: p.args }, 3);
      return p.kubeletArgs;
    }).flat();
    launch({ name: `kubelet-${n.name}`, command: node, args: [app('kubelet'), '--kubeconfig', kubeconfigFor(nodeIdentity(n.name)), '--tls-cert-file', serving.cert, '--tls-private-key-file', serving.key, '--client-ca-file', pki.caCert, '--node-name', n.name, '--node-ip', n.ip, '--runtimes', builtin.join(','), ...endpoints, '--root-dir', kubeletRoot, '--port', String(opts.kubeletPort)] }, 3);
    launch({ name: `proxy-${n.name}`, command: node, args: [app('proxy'), '--kubeconfig', kubeconfigFor(KUBE_PROXY), '--node-name', n.name, '--node-ip', n.ip] }, 3);
  }
  say(`… waiting for ${opts.nodes} node(s) to be Ready`);
  const adminConnection = await connectionFor(pki, api, ADMIN);
  for (const handler of plugins) await ensureRuntimeClass(adminConnection, handler);
  const ready = await waitForNodesReady(adminConnection, topology.map((n) => n.name), 30_000);
  say(ready.length === opts.nodes ? `✓ ${ready.length}/${opts.nodes} nodes Ready: ${ready.join(', ')}` : `! only ${ready.length}/${opts.nodes} nodes Ready: see ${join(opts.stateDir, 'logs')}`);
  const kc = writeKubeconfig(opts.stateDir, pki, api, ADMIN);
  say('');
  say(`cluster up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  say(`  API:        ${api}`);
  say(`  DNS:        ${opts.dnsAddress}:${opts.dnsPort} (e.g. dig @${opts.dnsAddress} -p ${opts.dnsPort} SERVICE.NAMESPACE.svc.cluster.local)`);
  say(`  logs:       ${join(opts.stateDir, 'logs')}`);
  say(`  kubeconfig: ${kc.path}${kc.installed ? ` (also installed as ${kc.installed})` : ''}`);
  say('  stop:       Ctrl-C');
  say(`export KUBECONFIG=${kc.path}`);
}
