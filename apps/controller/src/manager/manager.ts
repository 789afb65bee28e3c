// ControllerManager: hosts the selected controllers behind one leader-elected Lease
// (kube-system/kite-controller-manager), with /healthz, /livez, /readyz, /metrics and /configz.
//
// Contract:
// - `start()` serves HTTP (when a port is configured) and either campaigns for the Lease
//   (--leader-elect) or leads at once. Resolves once started; leading happens in the background.
// - Each term of leadership builds fresh informers and controllers, starts the informers, runs
//   the controllers until the term ends, then stops them. Nothing is carried over from an
//   earlier term: controllers are level-triggered and rebuild their view from the apiserver.
// - `/readyz` is 200 while standing by, and while leading once every informer has synced.
// - `stop()` ends the term (in-flight syncs finish), releases the Lease, flushes Events and
//   closes the HTTP server.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { LeaseResource } from '@kite/api-types';
import { KubeClient, LeaderElector } from '@kite/client';
import { closeServer, createMetricsRegistry, serverPort, startHealthServer, type Logger, type Registry } from '@kite/component-base';
import type { Controller, ControllerContext } from '../framework/controller.js';
import { ControllerEventRecorder } from '../framework/events.js';
import { InformerFactory } from '../framework/informers.js';
import { ControllerMetrics } from '../framework/metrics.js';
import { LEADER_LEASE_NAME, LEADER_LEASE_NAMESPACE, type ManagerConfig } from './config.js';
import { managerConfigz } from './configz.js';
import { CONTROLLER_REGISTRY } from './registry.js';

/** The component name in Events, logs and metrics. */
export const COMPONENT = 'kite-controller-manager';

export class ControllerManager {
  readonly client: KubeClient;
  private readonly cfg: ManagerConfig;
  private readonly log: Logger;
  private readonly registry: Registry;
  private readonly metrics: ControllerMetrics;
  private readonly stopping = new AbortController();
  private elector: LeaderElector | undefined;
  private http: Server | undefined;
  private term: Promise<void> | undefined;
  private informers: InformerFactory | undefined;
  private controllers: Controller[] = [];
  private leading = false;

  constructor(cfg: ManagerConfig, logger: Logger) {
    this.cfg = cfg;
    this.log = logger;
    this.client = new KubeClient({ ...cfg.apiserver, userAgent: COMPONENT });
    this.registry = createMetricsRegistry('controller-manager');
    this.metrics = new ControllerMetrics(this.registry, () => this.controllers.map((c) => [c.name, c.depth()]));
  }

  /** The port the health server listens on, once started. */
  get port(): number | undefined {
    return this.http && serverPort(this.http);
  }

  isLeader(): boolean {
    return this.leading;
  }

  async start(): Promise<void> {
    if (this.cfg.port !== undefined) {
      this.http = await startHealthServer({
        host: this.cfg.bindAddress,
        port: this.cfg.port,
        registry: this.registry,
        ready: () => this.ready(),
        notReadyMessage: 'informers not synced',
        configz: managerConfigz(this.cfg),
      });
    }
    if (!this.cfg.leaderElect) {
      this.term = this.lead(this.stopping.signal);
      return;
    }
    this.elector = new LeaderElector({
      client: this.client.resource(LeaseResource),
      namespace: LEADER_LEASE_NAMESPACE,
      name: LEADER_LEASE_NAME,
      identity: this.cfg.identity ?? `${hostname()}_${randomUUID()}`,
      leaseDurationMs: this.cfg.leaseDurationMs,
      renewDeadlineMs: this.cfg.renewDeadlineMs,
      retryPeriodMs: this.cfg.retryPeriodMs,
      callbacks: {
        onStartedLeading: (signal) => this.lead(signal),
        onStoppedLeading: () => this.log.info('stopped leading'),
        onNewLeader: (id) => this.log.info({ leader: id }, 'new leader'),
      },
      onError: (err) => this.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'leader election'),
    });
    this.elector.start();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.elector?.stop();
    await this.term;
    if (this.http) await closeServer(this.http);
  }

  /** One term of leadership: build, start, run until `signal` aborts, tear down. */
  private async lead(signal: AbortSignal): Promise<void> {
    this.leading = true;
    this.log.info({ controllers: this.cfg.controllers }, 'leading: starting controllers');
    const informers = new InformerFactory({ client: this.client, logger: this.log, resyncMs: this.cfg.resyncMs });
    const recorder = new ControllerEventRecorder({ client: this.client, component: COMPONENT, logger: this.log });
    const ctx: ControllerContext = { client: this.client, informers, recorder, logger: this.log, metrics: this.metrics, now: Date.now };
    this.informers = informers;
    this.controllers = this.cfg.controllers.map((name) => {
      const factory = CONTROLLER_REGISTRY.get(name);
      if (!factory) throw new Error(`unknown controller ${name}`);
      return factory(ctx, this.cfg);
    });
    const starting = informers.start().catch((err: unknown) => this.log.warn({ err: String(err) }, 'informers stopped before syncing'));
    await Promise.all(this.controllers.map((c) => c.run(signal).catch((err: unknown) => this.log.error({ controller: c.name, err: String(err) }, 'controller failed'))));
    await informers.stop();
    await starting;
    await recorder.flush();
    this.controllers = [];
    this.informers = undefined;
    this.leading = false;
    this.log.info('controllers stopped');
  }

  private ready(): boolean {
    if (!this.leading) return true;
    return this.informers?.allSynced() ?? false;
  }
}
