#!/usr/bin/env node
// kite controller manager: ReplicaSets, Deployments, Endpoints and EndpointSlices, garbage
// collection, namespaces, node lifecycle and node IPAM, behind one leader-elected Lease.
// Flags also read environment variables (flags win); see --help.
import { readFileSync } from 'node:fs';
import { connectionFromFlags, installConnectionPool } from '@kite/client';
import { allResources, compareQuantities, isValidQuantity } from '@kite/api-types';
import { Command, createLogger, flag, intFlag, onShutdown, Option } from '@kite/component-base';
import * as defaults from './manager/config.js';
import { parseDuration } from './manager/duration.js';
import { ControllerManager } from './manager/manager.js';
import { CONTROLLER_REGISTRY, resolveControllers } from './manager/registry.js';

const program = new Command('controller')
  .description('Runs the controllers that drive the cluster towards its desired state')
  .addOption(flag('kubeconfig', 'kubeconfig with the apiserver address and the controller manager\'s credentials'))
  .addOption(flag('apiserver', `apiserver URL; overrides the kubeconfig's server (default ${defaults.DEFAULT_APISERVER})`))
  .addOption(flag('controllers', `controllers to run: '*' for all, 'name' to enable, '-name' to disable (${[...CONTROLLER_REGISTRY.keys()].join(', ')})`, '*'))
  .addOption(new Option('--leader-elect', 'campaign for the kube-system/kite-controller-manager Lease; only the holder acts').env('LEADER_ELECT'))
  .addOption(flag('leader-elect-lease-duration', 'how long a leader Lease lasts without renewal', '15s'))
  .addOption(flag('leader-elect-renew-deadline', 'how long the leader retries renewing before it steps down', '10s'))
  .addOption(flag('leader-elect-retry-period', 'interval of acquire and renew attempts', '2s'))
  .addOption(flag('node-monitor-grace-period', 'a node whose Lease is older than this becomes Ready=Unknown', '40s'))
  .addOption(flag('node-monitor-period', 'how often node health is checked', '5s'))
  .addOption(flag('pod-eviction-timeout', 'default toleration seconds of pods for unreachable/not-ready nodes', String(defaults.DEFAULT_POD_EVICTION_TIMEOUT_SECONDS)))
  .addOption(flag('cluster-cidr', 'pod IP range of the cluster, split into node pod CIDRs', defaults.DEFAULT_CLUSTER_CIDR))
  .addOption(flag('node-cidr-mask-size', 'prefix length of each node pod CIDR', String(defaults.DEFAULT_NODE_CIDR_MASK_SIZE)))
  .addOption(flag('root-ca-file', 'cluster CA certificate to publish as the kube-root-ca.crt ConfigMap in every namespace'))
  .addOption(flag('port', 'port of /healthz, /livez, /readyz, /metrics and /configz (0 picks a free one)', String(defaults.DEFAULT_PORT)))
  .addOption(flag('bind-address', 'address of the health and metrics server', defaults.DEFAULT_BIND_ADDRESS))
  .addOption(flag('scale-to-zero-sync-period', 'how often the request rate of each running Deployment annotated kite.dev/scale-to-zero-after is read', '10s'))
  .addOption(flag('horizontal-pod-autoscaler-sync-period', 'how often each HorizontalPodAutoscaler is reconciled', '15s'))
  .addOption(flag('horizontal-pod-autoscaler-downscale-stabilization', 'how far back the HPA looks for the highest recommendation before scaling down', '5m'))
  .addOption(flag('horizontal-pod-autoscaler-tolerance', 'minimum change (from 1.0) in the desired-to-actual metric ratio for the HPA to scale', '0.1'))
  .addOption(flag('horizontal-pod-autoscaler-cpu-initialization-period', 'after a pod starts, the period in which its CPU samples may be skipped', '5m'))
  .addOption(flag('horizontal-pod-autoscaler-initial-readiness-delay', 'after a pod starts, the period in which a readiness change counts as its first', '30s'))
  .addOption(flag('job-backoff-base', 'first delay before a failed Job pod is replaced; doubles per failure up to 6m', '10s').hideHelp())
  .addOption(flag('local-path-root', 'directory under which the local-path provisioner puts each volume on its node', defaults.DEFAULT_LOCAL_PATH_ROOT))
  .addOption(flag('local-path-max-size', 'largest volume the local-path provisioner makes; bigger claims stay Pending', defaults.DEFAULT_LOCAL_PATH_MAX_SIZE))
  .parse();

const o = program.opts<Record<string, string | boolean | undefined>>();
const str = (v: string | boolean | undefined, fallback: string): string => (typeof v === 'string' ? v : fallback);
const logger = createLogger('controller');
/** A non-negative number flag (the HPA tolerance). */
function ratioFlag(name: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got ${JSON.stringify(value)}`);
  return n;
}
/** A positive quantity flag (`1Ti`). */
function quantityFlag(name: string, value: string): string {
  if (!isValidQuantity(value) || compareQuantities(value, 0) <= 0) throw new Error(`--${name} must be a positive quantity such as 1Ti, got ${JSON.stringify(value)}`);
  return value;
}
try {
  const leaderElect = o.leaderElect === true || o.leaderElect === 'true';
  const cfg = defaults.defaultConfig({
    apiserver: connectionFromFlags({ kubeconfig: typeof o.kubeconfig === 'string' ? o.kubeconfig : undefined, apiserver: typeof o.apiserver === 'string' ? o.apiserver : undefined }, defaults.DEFAULT_APISERVER),
    controllers: resolveControllers(str(o.controllers, '*')),
    leaderElect,
    leaseDurationMs: parseDuration('leader-elect-lease-duration', str(o.leaderElectLeaseDuration, '15s')),
    renewDeadlineMs: parseDuration('leader-elect-renew-deadline', str(o.leaderElectRenewDeadline, '10s')),
    retryPeriodMs: parseDuration('leader-elect-retry-period', str(o.leaderElectRetryPeriod, '2s')),
    nodeMonitorGracePeriodMs: parseDuration('node-monitor-grace-period', str(o.nodeMonitorGracePeriod, '40s')),
    nodeMonitorPeriodMs: parseDuration('node-monitor-period', str(o.nodeMonitorPeriod, '5s')),
    podEvictionTimeoutSeconds: Math.round(parseDuration('pod-eviction-timeout', str(o.podEvictionTimeout, '300')) / 1000),
    clusterCIDR: str(o.clusterCidr, defaults.DEFAULT_CLUSTER_CIDR),
    nodeCIDRMaskSize: intFlag('node-cidr-mask-size', str(o.nodeCidrMaskSize, '24'), defaults.DEFAULT_NODE_CIDR_MASK_SIZE),
    port: intFlag('port', str(o.port, String(defaults.DEFAULT_PORT)), defaults.DEFAULT_PORT),
    bindAddress: str(o.bindAddress, defaults.DEFAULT_BIND_ADDRESS),
    scaleToZeroSyncPeriodMs: parseDuration('scale-to-zero-sync-period', str(o.scaleToZeroSyncPeriod, '10s')),
    hpaSyncPeriodMs: parseDuration('horizontal-pod-autoscaler-sync-period', str(o.horizontalPodAutoscalerSyncPeriod, '15s')),
    hpaDownscaleStabilizationMs: parseDuration('horizontal-pod-autoscaler-downscale-stabilization', str(o.horizontalPodAutoscalerDownscaleStabilization, '5m')),
    hpaTolerance: ratioFlag('horizontal-pod-autoscaler-tolerance', str(o.horizontalPodAutoscalerTolerance, '0.1')),
    hpaCpuInitializationPeriodMs: parseDuration('horizontal-pod-autoscaler-cpu-initialization-period', str(o.horizontalPodAutoscalerCpuInitializationPeriod, '5m')),
    hpaInitialReadinessDelayMs: parseDuration('horizontal-pod-autoscaler-initial-readiness-delay', str(o.horizontalPodAutoscalerInitialReadinessDelay, '30s')),
    jobBackoffBaseMs: parseDuration('job-backoff-base', str(o.jobBackoffBase, '10s')),
    localPathRoot: str(o.localPathRoot, defaults.DEFAULT_LOCAL_PATH_ROOT),
    localPathMaxSize: quantityFlag('local-path-max-size', str(o.localPathMaxSize, defaults.DEFAULT_LOCAL_PATH_MAX_SIZE)),
    ...(typeof o.rootCaFile === 'string' ? { rootCA: readFileSync(o.rootCaFile, 'utf8') } : {}),
  });
  // The garbage collector may watch every kind at once.
  installConnectionPool(allResources.length);
  const manager = new ControllerManager(cfg, logger);
  await manager.start();
  logger.info({ port: manager.port, controllers: cfg.controllers, leaderElect }, 'controller manager started');
  onShutdown(logger, () => manager.stop());
} catch (err) {
  logger.fatal({ err }, 'controller manager failed to start');
  process.exit(1);
}
