#!/usr/bin/env node
// kite scheduler: places pending pods on nodes. Flags also read environment variables
// (--scheduler-name ↔ SCHEDULER_NAME); flags win. See app.ts for what runs.
import { connectionFromFlags, installConnectionPool } from '@kite/client';
import { Command, createLogger, flag, intFlag, onShutdown, Option } from '@kite/component-base';
import { DEFAULT_LEASE_NAME, DEFAULT_LEASE_NAMESPACE, startSchedulerApp } from './app.js';
import { parseDuration } from './duration.js';
import { DEFAULT_SCHEDULER_NAME } from './framework/profile.js';
import { DEFAULT_BIND_TIMEOUT_SECONDS } from './plugins/volume-binding/prebind.js';

const program = new Command('scheduler')
  .description('Places pending pods on nodes through the pods binding subresource')
  .addOption(flag('kubeconfig', 'kubeconfig with the apiserver address and the scheduler\'s credentials'))
  .addOption(flag('apiserver', 'apiserver URL; overrides the kubeconfig\'s server (default https://127.0.0.1:6443)'))
  .addOption(flag('scheduler-name', 'schedule pods whose spec.schedulerName is this', DEFAULT_SCHEDULER_NAME))
  .addOption(flag('percentage-of-nodes-to-score', 'percentage of nodes to find feasible before scoring; 0 = adaptive (50% at 100 nodes down to 10% at 5000, at least 50 nodes)', '0'))
  .addOption(new Option('--leader-elect [bool]', 'take the leader Lease before scheduling (true/false)').env('LEADER_ELECT').default('true'))
  .addOption(new Option('--no-leader-elect', 'schedule without leader election'))
  .addOption(flag('lease-duration', 'how long a leader Lease lasts without renewal (e.g. 15s)', '15s'))
  .addOption(flag('renew-deadline', 'how long the leader retries renewing before giving up (default: 2/3 of the lease duration)'))
  .addOption(flag('retry-period', 'how often to try to acquire or renew the Lease (default: lease duration / 7.5)'))
  .addOption(flag('lease-namespace', 'namespace of the leader Lease', DEFAULT_LEASE_NAMESPACE))
  .addOption(flag('lease-name', 'name of the leader Lease', DEFAULT_LEASE_NAME))
  .addOption(flag('port', 'port for /healthz, /livez, /readyz, /metrics and /configz (0 = any free port)', '10259'))
  .addOption(flag('bind-address', 'address for /healthz, /livez, /readyz, /metrics and /configz', '127.0.0.1'))
  .addOption(flag('bind-timeout-seconds', 'how long to wait for a pod\'s volumes to be bound before giving the pod back to the queue', String(DEFAULT_BIND_TIMEOUT_SECONDS)))
  .parse();

const o = program.opts<Record<string, string | boolean | undefined>>();
const str = (v: string | boolean | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const logger = createLogger('scheduler');
/** Long-lived watches the scheduler holds: pods, nodes, services, claims, volumes, classes. */
const WATCHES = 6;
installConnectionPool(WATCHES);
try {
  const leaderElect = o.leaderElect !== false && o.leaderElect !== 'false';
  const app = await startSchedulerApp({
    apiserver: connectionFromFlags({ kubeconfig: str(o.kubeconfig), apiserver: str(o.apiserver) }, 'https://127.0.0.1:6443'),
    schedulerName: str(o.schedulerName) ?? DEFAULT_SCHEDULER_NAME,
    percentageOfNodesToScore: intFlag('percentage-of-nodes-to-score', str(o.percentageOfNodesToScore), 0),
    leaderElect,
    leaseDurationMs: parseDuration('lease-duration', str(o.leaseDuration) ?? '15s'),
    renewDeadlineMs: o.renewDeadline === undefined ? undefined : parseDuration('renew-deadline', str(o.renewDeadline) ?? ''),
    retryPeriodMs: o.retryPeriod === undefined ? undefined : parseDuration('retry-period', str(o.retryPeriod) ?? ''),
    leaseNamespace: str(o.leaseNamespace),
    leaseName: str(o.leaseName),
    port: intFlag('port', str(o.port), 10259),
    bindAddress: str(o.bindAddress),
    bindTimeoutSeconds: intFlag('bind-timeout-seconds', str(o.bindTimeoutSeconds), DEFAULT_BIND_TIMEOUT_SECONDS),
    logger,
  });
  logger.info({ identity: app.identity, port: app.port, leaderElect }, 'scheduler started');
  onShutdown(logger, () => app.stop());
} catch (err) {
  logger.fatal({ err }, 'scheduler failed to start');
  process.exit(1);
}
