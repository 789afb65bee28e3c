// The scheduler as a running component: client, scheduler, leader election and the health
// server, started and stopped together. main.ts parses flags into these options; tests start it
// in-process with the same function.
//
// Leadership: every copy lists and watches (a standby's cache is warm), but only the holder of the
// Lease (kube-system/kite-scheduler by default) runs the scheduling loop. When leadership is lost,
// the loop stops and the copy campaigns again; a pod can never be bound twice, because the
// apiserver refuses to bind a bound pod (409), so a brief overlap is harmless.
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { hostname } from 'node:os';
import { LeaseResource } from '@kite/api-types';
import { KubeClient, LeaderElector, type Connection } from '@kite/client';
import type { Logger } from '@kite/component-base';
import { SchedulerMetrics } from './metrics.js';
import { Scheduler } from './scheduler.js';
import { closeServer, serverPort, startHealthServer } from '@kite/component-base';
import { schedulerConfigz } from './configz.js';
import { DEFAULT_BIND_TIMEOUT_SECONDS } from './plugins/volume-binding/prebind.js';

export const DEFAULT_LEASE_NAMESPACE = 'kube-system';
export const DEFAULT_LEASE_NAME = 'kite-scheduler';
/** kube-scheduler's defaults: lease 15 s, renew deadline 10 s, retry every 2 s. */
export const DEFAULT_LEASE_DURATION_MS = 15_000;
export const DEFAULT_BIND_ADDRESS = '127.0.0.1';

export interface SchedulerAppOptions {
  /** Where the apiserver is and the scheduler's credentials (from --kubeconfig). */
  apiserver: Connection;
  schedulerName: string;
  percentageOfNodesToScore: number;
  leaderElect: boolean;
  leaseDurationMs: number;
  /** Default: two thirds of the lease duration. */
  renewDeadlineMs?: number;
  /** Default: a seventh of the lease duration (2 s of 15 s). */
  retryPeriodMs?: number;
  leaseNamespace?: string;
  leaseName?: string;
  /** Port of /healthz, /livez, /readyz, /metrics, /configz; 0 picks a free one, -1 serves none. */
  port: number;
  bindAddress?: string;
  /** --bind-timeout-seconds: how long PreBind waits for a pod's claims to be bound. */
  bindTimeoutSeconds?: number;
  logger: Logger;
}

export interface SchedulerApp {
  scheduler: Scheduler;
  elector: LeaderElector | undefined;
  identity: string;
  /** The health server's port, if one runs. */
  port: number | undefined;
  stop(): Promise<void>;
}

/** The options with every default applied: what the app runs with, and what /configz shows. */
export function withDefaults(opts: SchedulerAppOptions): Required<SchedulerAppOptions> {
  return {
    ...opts,
    renewDeadlineMs: opts.renewDeadlineMs ?? Math.round((opts.leaseDurationMs * 2) / 3),
    retryPeriodMs: opts.retryPeriodMs ?? Math.round(opts.leaseDurationMs / 7.5),
    leaseNamespace: opts.leaseNamespace ?? DEFAULT_LEASE_NAMESPACE,
    leaseName: opts.leaseName ?? DEFAULT_LEASE_NAME,
    bindAddress: opts.bindAddress ?? DEFAULT_BIND_ADDRESS,
    bindTimeoutSeconds: opts.bindTimeoutSeconds ?? DEFAULT_BIND_TIMEOUT_SECONDS,
  };
}

export async function startSchedulerApp(options: SchedulerAppOptions): Promise<SchedulerApp> {
  const opts = withDefaults(options);
  const log = opts.logger;
  const client = new KubeClient({ ...opts.apiserver, userAgent: `kite-scheduler/${opts.schedulerName}` });
  const metrics = new SchedulerMetrics();
  const scheduler = new Scheduler({ client, schedulerName: opts.schedulerName, percentageOfNodesToScore: opts.percentageOfNodesToScore, logger: log, metrics, bindTimeoutSeconds: opts.bindTimeoutSeconds });
  const server = opts.port >= 0
    ? await startHealthServer({ port: opts.port, host: opts.bindAddress, registry: metrics.registry, ready: () => scheduler.hasSynced(), configz: schedulerConfigz(opts) })
    : undefined;
  await scheduler.start();
  const identity = `${hostname()}_${randomUUID()}`;
  if (!opts.leaderElect) {
    metrics.isLeader.set(1);
    const abort = new AbortController();
    const loop = scheduler.run(abort.signal);
    return assemble({
      scheduler,
      identity,
      server,
      stopLoop: async () => {
        abort.abort();
        await loop;
      },
    });
  }
  const elector = new LeaderElector({
    client: client.resource(LeaseResource),
    namespace: opts.leaseNamespace,
    name: opts.leaseName,
    identity,
    leaseDurationMs: opts.leaseDurationMs,
    renewDeadlineMs: opts.renewDeadlineMs,
    retryPeriodMs: opts.retryPeriodMs,
    callbacks: {
      onStartedLeading: (signal) => {
        log.info({ identity }, 'became leader');
        metrics.isLeader.set(1);
        return scheduler.run(signal);
      },
      onStoppedLeading: () => {
        metrics.isLeader.set(0);
        log.info({ identity }, 'stopped leading');
      },
      onNewLeader: (leader) => log.info({ leader }, 'leader observed'),
    },
    onError: (err) => log.warn({ err }, 'leader election'),
  });
  elector.start();
  return assemble({ scheduler, elector, identity, server, stopLoop: () => elector.stop() });
}

interface Parts {
  scheduler: Scheduler;
  elector?: LeaderElector;
  identity: string;
  server: Server | undefined;
  /** Ends the scheduling loop (and the campaign). */
  stopLoop: () => Promise<void>;
}

/** The running app; `stop` ends the loop first, then the informers, then the health server. */
function assemble({ scheduler, elector, identity, server, stopLoop }: Parts): SchedulerApp {
  return {
    scheduler,
    elector,
    identity,
    port: server && serverPort(server),
    async stop() {
      await stopLoop();
      await scheduler.stop();
      if (server) await closeServer(server);
    },
  };
}
