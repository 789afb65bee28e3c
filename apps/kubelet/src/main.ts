#!/usr/bin/env node
// kite kubelet: the node agent. Registers the node, runs the pods bound to it through its
// runtimes (Wasm, Docker, hollow), and serves their logs.
import { connectionFromFlags, installConnectionPool } from '@kite/client';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { ensureSelfSignedServing } from '@kite/pki';
import { join } from 'node:path';
import { Command, createLogger, flag, intFlag, onShutdown, repeatableFlag } from '@kite/component-base';
import { DEFAULT_BACKOFF_BASE_SECONDS, DEFAULT_BACKOFF_MAX_SECONDS, DEFAULT_KUBELET_PORT, DEFAULT_LEASE_DURATION_SECONDS, DEFAULT_LEASE_RENEW_SECONDS, DEFAULT_MAX_PODS, parseRuntimeEndpoint, type KubeletConfig } from './config.js';
import { Kubelet } from './kubelet.js';
import { machineCapacity } from './node/node-object.js';
import type { RuntimeName } from '@kite/cri';
import { defaultImageSearchPath } from '@kite/cri';

const machine = machineCapacity();
const program = new Command('kubelet')
  .description('The node agent: runs the pods bound to this node')
  .addOption(flag('kubeconfig', 'kubeconfig with the apiserver address and this node\'s credentials (system:node:NAME)'))
  .addOption(flag('apiserver', 'apiserver URL; overrides the kubeconfig\'s server (default https://127.0.0.1:6443)'))
  .addOption(flag('node-name', 'name of this node', 'node-1'))
  .addOption(flag('node-ip', 'this node\'s IP (a loopback address such as 127.1.0.1)', '127.1.0.1'))
  .addOption(flag('pod-cidr', 'pod IP range, when no controller manager assigns one (e.g. 127.64.1.0/24)'))
  .addOption(flag('runtimes', 'built-in runtimes this node offers: wasm, docker, hollow (comma list)', 'wasm'))
  .addOption(repeatableFlag('runtime-endpoint', 'a runtime in its own process, as HANDLER=unix:///PATH (docs/runtime-protocol.md); the node offers HANDLER'))
  .addOption(flag('hollow-accept-any-pod', 'with --runtimes hollow: run every pod on the hollow runtime and advertise wasm and docker too, as kubemark\'s hollow nodes do (true/false)', 'false'))
  .addOption(flag('root-dir', 'state directory for pod volumes, logs and images', join(homedir(), '.kite', 'kubelet')))
  .addOption(flag('port', 'port of the kubelet HTTPS API (logs, health, metrics) on the node IP', String(DEFAULT_KUBELET_PORT)))
  .addOption(flag('tls-cert-file', 'serving certificate of the kubelet API; without it a self-signed one is made under --root-dir'))
  .addOption(flag('tls-private-key-file', 'key of --tls-cert-file'))
  .addOption(flag('client-ca-file', 'CA that callers\' client certificates must chain to (the apiserver\'s)'))
  .addOption(flag('cpu', 'cpu capacity to advertise', machine.cpu))
  .addOption(flag('memory', 'memory capacity to advertise', machine.memory))
  .addOption(flag('max-pods', 'pods capacity', String(DEFAULT_MAX_PODS)))
  .addOption(flag('lease-renew-seconds', 'node heartbeat interval', String(DEFAULT_LEASE_RENEW_SECONDS)))
  .addOption(flag('backoff-base-seconds', 'first crash-loop back-off delay', String(DEFAULT_BACKOFF_BASE_SECONDS)))
  .addOption(flag('backoff-max-seconds', 'crash-loop back-off cap', String(DEFAULT_BACKOFF_MAX_SECONDS)))
  .addOption(flag('wasm-in-process', 'run the Wasm runtime inside the kubelet (true) instead of a daemon that outlives kubelet restarts (false)', 'false'))
  .addOption(flag('image-path', 'colon-separated directories searched for relative Wasm image references', defaultImageSearchPath().join(':')))
  .parse();
// Four watches hold a connection each (pods, Services, RuntimeClasses, PersistentVolumes for
// local-path cleanup); everything else is short requests over a bounded pool.
installConnectionPool(4);

const o = program.opts<Record<string, string | undefined>>();
const runtimeEndpoints = program.opts<{ runtimeEndpoint: string[] }>().runtimeEndpoint.map(parseRuntimeEndpoint);
const nodeName = o.nodeName ?? 'node-1';
const logger = createLogger('kubelet').child({ node: nodeName });
const rootDir = join(o.rootDir ?? join(homedir(), '.kite', 'kubelet'), nodeName);
const nodeIP = o.nodeIp ?? '127.1.0.1';
const serving = o.tlsCertFile && o.tlsPrivateKeyFile
  ? { cert: readFileSync(o.tlsCertFile, 'utf8'), key: readFileSync(o.tlsPrivateKeyFile, 'utf8') }
  : await ensureSelfSignedServing(join(rootDir, 'pki'), nodeName, [nodeIP, nodeName]);
const cfg: KubeletConfig = {
  apiserver: connectionFromFlags({ kubeconfig: o.kubeconfig, apiserver: o.apiserver }, 'https://127.0.0.1:6443'),
  nodeName,
  nodeIP,
  ...(o.podCidr ? { podCIDR: o.podCidr } : {}),
  runtimes: (o.runtimes ?? 'wasm').split(',').map((r) => r.trim()).filter(Boolean) as RuntimeName[],
  runtimeEndpoints,
  acceptAnyPod: o.hollowAcceptAnyPod === 'true',
  rootDir,
  port: intFlag('port', o.port, DEFAULT_KUBELET_PORT),
  tls: { ...serving, ...(o.clientCaFile ? { clientCa: readFileSync(o.clientCaFile, 'utf8') } : {}) },
  capacity: { cpu: o.cpu ?? machine.cpu, memory: o.memory ?? machine.memory, pods: o.maxPods ?? String(DEFAULT_MAX_PODS) },
  leaseRenewSeconds: Number(o.leaseRenewSeconds ?? DEFAULT_LEASE_RENEW_SECONDS),
  leaseDurationSeconds: DEFAULT_LEASE_DURATION_SECONDS,
  backoffBaseSeconds: Number(o.backoffBaseSeconds ?? DEFAULT_BACKOFF_BASE_SECONDS),
  backoffMaxSeconds: Number(o.backoffMaxSeconds ?? DEFAULT_BACKOFF_MAX_SECONDS),
  imagePath: (o.imagePath ?? '').split(':').filter(Boolean),
  wasmInProcess: o.wasmInProcess === 'true',
};
const kubelet = new Kubelet(cfg, logger);
onShutdown(logger, () => kubelet.stop());
try {
  await kubelet.start();
} catch (err) {
  logger.fatal({ err }, 'kubelet failed to start');
  process.exit(1);
}
