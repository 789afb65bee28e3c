// Scheduler: wires informers, cache, queue and framework together and runs the scheduling loop.
//
//   start()      lists and watches pods, nodes and services (a standby keeps its cache warm too)
//   run(signal)  while leading: pop a pod → decide (schedulePod) → assume → reserve → in the
//                background: PreBind (volumes; may wait for the binder) → bind
//   stop()       ends the loop, the informers and the queue; waits for pending writes
//
// One cycle (scheduleOne) is synchronous from pop to assume, so the cache cannot change under
// it; binding, events and the PodScheduled condition are written afterwards, in the background:
//   - bound: the Scheduled event; the watch later confirms the assumed pod;
//   - PreBind failed: unreserve, forget the assumption, requeue with back-off, FailedScheduling;
//   - binding failed: unreserve, forget the assumption, requeue with back-off, FailedScheduling event —
//     unless the pod was bound by someone else or is gone (409/404), then the watch has the truth;
//   - no node fits: requeue as unschedulable (woken by events its rejecting plugins care about),
//     FailedScheduling event and PodScheduled=False with the counted reasons.
import { EventResource, NodeResource, PodResource, RuntimeClassResource, ServiceResource, type Node, type Pod, type RuntimeClass as RuntimeClassObject, type Service } from '@kite/api-types';
import { isConflict, isNotFound } from '@kite/apimachinery';
import { EventRecorder, Informer, InformerEvents, type Clock, type KubeClient } from '@kite/client';
import type { Logger } from '@kite/component-base';
import { Binder, BIND_MAX_IN_FLIGHT, type BindFn } from './binder.js';
import { SchedulerCache } from './cache/cache.js';
import { isPendingForUs, nodeHandlers, podHandlers, serviceHandlers, type HandlerTargets } from './event-handlers.js';
import type { CycleState } from './framework/cycle-state.js';
import { ClusterEvent } from './framework/events.js';
import type { FitError } from './framework/fit-error.js';
import { Framework } from './framework/framework.js';
import { podInfoFor } from './framework/pod-info.js';
import { KeepAliveWriter } from './http/keepalive-writer.js';
import { bindVia, eventClientVia } from './http/writes.js';
import type { Profile } from './framework/profile.js';
import type { Status } from './framework/status.js';
import type { Handle } from './framework/interface.js';
import type { PodObj, ServiceObj } from './framework/types.js';
import { RESULT_ERROR, RESULT_SCHEDULED, RESULT_UNSCHEDULABLE, SchedulerMetrics } from './metrics.js';
import { defaultProfile } from './plugins/default-profile.js';
import { inTreeRegistry, type Registry } from './plugins/registry.js';
import type { BackoffPolicy } from './queue/backoff.js';
import type { QueuedPodInfo } from './queue/queued-pod.js';
import { SchedulingQueue } from './queue/scheduling-queue.js';
import { BoundedRunner } from './report/bounded-runner.js';
import { bindingRejectedMessage, EVENT_MAX_BACKLOG, EVENT_MAX_IN_FLIGHT, podRef, REASON_FAILED_SCHEDULING, REASON_SCHEDULED, scheduledMessage } from './report/events.js';
import { REASON_SCHEDULER_ERROR, REASON_UNSCHEDULABLE, setUnschedulableCondition } from './report/pod-condition.js';
import { schedulePod } from './schedule/schedule-pod.js';
import { VolumeInformers } from './volume-informers.js';

/** Concurrent PodScheduled=False writes, and how many may wait (the rest are dropped). */
export const CONDITION_MAX_IN_FLIGHT = 8;
export const CONDITION_MAX_BACKLOG = 10_000;

export interface SchedulerOptions {
  client: KubeClient;
  /** Defaults to the default profile for `schedulerName`. */
  profile?: Profile;
  schedulerName?: string;
  registry?: Registry;
  /** 0 (default) = adaptive; see schedule/sampling.ts. */
  percentageOfNodesToScore?: number;
  logger?: Logger;
  metrics?: SchedulerMetrics;
  clock?: Clock;
  backoff?: BackoffPolicy;
  bindMaxInFlight?: number;
  random?: () => number;
  /**
   * Send bindings and events over node:http keep-alive instead of the client's fetch transport
   * (see http/keepalive-writer.ts). Default true, over http and https, unless the client reads a token file.
   */
  fastWrites?: boolean;
  /** How long PreBind waits for a pod's claims to be bound (--bind-timeout-seconds, default 600). */
  bindTimeoutSeconds?: number;
}

export class Scheduler {
  readonly cache: SchedulerCache;
  readonly queue: SchedulingQueue;
  readonly framework: Framework;
  readonly metrics: SchedulerMetrics;
  readonly schedulerName: string;
  private readonly opts: SchedulerOptions;
  private readonly pods: Informer<Pod>;
  private readonly nodes: Informer<Node>;
  private readonly services: Informer<Service>;
  private readonly storage: VolumeInformers;
  private readonly runtimeClasses: Informer<RuntimeClassObject>;
  private readonly binder: Binder;
  private readonly events: BoundedRunner;
  private readonly conditions: BoundedRunner;
  private readonly recorder: EventRecorder;
  private readonly writer: KeepAliveWriter | undefined;
  private startIndex = 0;
  private synced = false;
  /** Ends PreBind waits when the scheduler stops. */
  private readonly stopping = new AbortController();

  constructor(opts: SchedulerOptions) {
    this.opts = opts;
    const profile = opts.profile ?? defaultProfile(opts.schedulerName);
    this.schedulerName = profile.schedulerName;
    this.metrics = opts.metrics ?? new SchedulerMetrics();
    const onError = (err: unknown, phase: string) => opts.logger?.warn({ err, phase }, 'informer trouble');
    this.pods = new Informer<Pod>({ client: opts.client.resource(PodResource), clock: opts.clock, onError });
    this.nodes = new Informer<Node>({ client: opts.client.resource(NodeResource), clock: opts.clock, onError });
    this.services = new Informer<Service>({ client: opts.client.resource(ServiceResource), clock: opts.clock, onError });
    this.runtimeClasses = new Informer<RuntimeClassObject>({ client: opts.client.resource(RuntimeClassResource), clock: opts.clock, onError });
    this.cache = new SchedulerCache({ services: (ns) => this.servicesIn(ns) });
    this.storage = new VolumeInformers({ client: opts.client, clock: opts.clock, logger: opts.logger, bindTimeoutSeconds: opts.bindTimeoutSeconds, onEvent: (e) => this.queue.onEvent(e) });
    const cache = this.cache;
    const handle: Handle = {
      nodeInfos: () => cache.nodeInfos(),
      nodesWithRequiredAntiAffinity: () => cache.nodesWithRequiredAntiAffinity(),
      servicesIn: (ns) => cache.servicesIn(ns),
      volumes: this.storage.access,
      runtimeHandler: (name) => this.runtimeClasses.store.get(name)?.handler,
    };
    this.framework = new Framework({ profile, registry: opts.registry ?? inTreeRegistry, handle });
    this.queue = new SchedulingQueue({ eventsByPlugin: this.framework.eventsByPlugin(), backoff: opts.backoff, clock: opts.clock });
    const logError = (err: unknown) => opts.logger?.debug({ err }, 'background write failed');
    const writes = createWrites(opts, this.schedulerName, logError);
    this.writer = writes.writer;
    this.binder = writes.binder;
    this.recorder = writes.recorder;
    const dropped = () => this.metrics.eventsDropped.inc();
    this.events = new BoundedRunner({ maxInFlight: EVENT_MAX_IN_FLIGHT, maxBacklog: EVENT_MAX_BACKLOG, onDrop: dropped, onError: logError });
    this.conditions = new BoundedRunner({ maxInFlight: CONDITION_MAX_IN_FLIGHT, maxBacklog: CONDITION_MAX_BACKLOG, onError: logError });
    this.metrics.watch(this.queue, this.cache);
    this.wireInformers();
  }

  /** Lists and watches; resolves when the caches are filled (readiness). */
  async start(): Promise<void> {
    this.queue.run();
    await Promise.all([this.nodes.start(), this.services.start(), this.storage.start(), this.runtimeClasses.start()]);
    await this.pods.start();
    this.synced = true;
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** The scheduling loop, until `signal` aborts. Call while holding the leader lease. */
  async run(signal: AbortSignal): Promise<void> {
    this.opts.logger?.info({ schedulerName: this.schedulerName }, 'scheduling loop started');
    while (!signal.aborted) {
      await this.binder.waitForSlot();
      const q = await this.queue.pop(signal);
      if (!q) break;
      this.scheduleOne(q);
      // Let watch events, binding answers and timers in between pods.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.opts.logger?.info('scheduling loop stopped');
  }

  async stop(): Promise<void> {
    this.queue.close();
    this.stopping.abort();
    await Promise.all([this.pods.stop(), this.nodes.stop(), this.services.stop(), this.storage.stop(), this.runtimeClasses.stop()]);
    await Promise.all([this.events.idle(), this.conditions.idle()]);
    this.writer?.close();
  }

  /** Decides one pod and starts its binding; never throws. */
  scheduleOne(q: QueuedPodInfo): void {
    const pod = q.info;
    if (this.cache.nodeOf(pod.key) !== undefined) return this.queue.done(pod.key); // already placed
    const started = performance.now();
    const ctx = {
      framework: this.framework,
      nodes: this.cache.nodeList(),
      percentageOfNodesToScore: this.opts.percentageOfNodesToScore ?? 0,
      startIndex: this.startIndex,
      random: this.opts.random,
    };
    const out = schedulePod(ctx, pod);
    this.startIndex = out.nextStartIndex;
    const seconds = (performance.now() - started) / 1000;
    if ('result' in out) {
      this.metrics.attemptDuration.observe({ result: RESULT_SCHEDULED }, seconds);
      this.assumeAndBind(q, out.result.nodeName, out.result.state);
    } else if ('fitError' in out) {
      this.metrics.attemptDuration.observe({ result: RESULT_UNSCHEDULABLE }, seconds);
      this.onUnschedulable(q, out.fitError);
    } else {
      this.metrics.attemptDuration.observe({ result: RESULT_ERROR }, seconds);
      this.onError(q, out.error);
    }
  }

  private assumeAndBind(q: QueuedPodInfo, nodeName: string, state: CycleState): void {
    const info = q.info;
    this.cache.assumePod(info, nodeName);
    const reserved = this.framework.runReserve(state, info, nodeName);
    if (!reserved.isSuccess()) {
      this.cache.forgetPod(info.key);
      return this.onError(q, reserved);
    }
    this.queue.done(info.key);
    const started = performance.now();
    const preBound = this.framework.hasPreBind(state) ? this.framework.runPreBind(state, info, nodeName, this.stopping.signal) : undefined;
    if (preBound) {
      // Volumes first (may wait for the binder); the pod is bound only once they are.
      void preBound.then((s) => {
        if (s.isSuccess()) return this.bind(q, nodeName, state, started);
        this.framework.runUnreserve(state, info, nodeName);
        this.cache.forgetPod(info.key);
        this.queue.onEvent(ClusterEvent.AssignedPodDelete);
        const latest = this.pods.store.get(info.key);
        if (!latest || !isPendingForUs(latest, this.schedulerName) || this.stopping.signal.aborted) return;
        q.info = podInfoFor(latest);
        this.onError(q, s);
      });
      return;
    }
    this.bind(q, nodeName, state, started);
  }

  private bind(q: QueuedPodInfo, nodeName: string, state: CycleState, started: number): void {
    const info = q.info;
    this.binder.bind(info.namespace, info.pod.metadata.name ?? '', nodeName).then(
      () => {
        this.metrics.bindingDuration.observe((performance.now() - started) / 1000);
        this.metrics.attempts.inc({ result: RESULT_SCHEDULED });
        if (q.initialAttemptTimestamp !== undefined) this.metrics.podSchedulingDuration.observe(((this.opts.clock?.now() ?? Date.now()) - q.initialAttemptTimestamp) / 1000);
        this.recordEvent(info.pod, 'Normal', REASON_SCHEDULED, scheduledMessage(info.pod, nodeName));
      },
      (err: unknown) => {
        this.framework.runUnreserve(state, info, nodeName);
        this.onBindFailure(q, nodeName, err);
      },
    );
  }

  private onBindFailure(q: QueuedPodInfo, nodeName: string, err: unknown): void {
    const key = q.info.key;
    this.cache.forgetPod(key);
    this.queue.onEvent(ClusterEvent.AssignedPodDelete); // the assumed resources are free again
    if (isConflict(err) || isNotFound(err)) {
      // Bound by another scheduler, being deleted, or gone: the watch brings the real state.
      this.opts.logger?.debug({ pod: key, node: nodeName, err }, 'binding superseded');
      return;
    }
    this.metrics.attempts.inc({ result: RESULT_ERROR });
    this.opts.logger?.warn({ pod: key, node: nodeName, err }, 'binding failed');
    const latest = this.pods.store.get(key);
    if (!latest || !isPendingForUs(latest, this.schedulerName)) return;
    q.info = podInfoFor(latest);
    this.queue.requeue(q, { error: true });
    this.recordEvent(latest, 'Warning', REASON_FAILED_SCHEDULING, bindingRejectedMessage(err));
  }

  private onUnschedulable(q: QueuedPodInfo, fitError: FitError): void {
    this.metrics.attempts.inc({ result: RESULT_UNSCHEDULABLE });
    const pod = q.info.pod;
    this.queue.requeue(q, { unschedulablePlugins: fitError.unschedulablePlugins() });
    this.opts.logger?.debug({ pod: q.key, reason: fitError.message }, 'unschedulable');
    this.recordEvent(pod, 'Warning', REASON_FAILED_SCHEDULING, fitError.message);
    this.setCondition(pod, REASON_UNSCHEDULABLE, fitError.message);
  }

  private onError(q: QueuedPodInfo, status: Status): void {
    this.metrics.attempts.inc({ result: RESULT_ERROR });
    const pod = q.info.pod;
    this.queue.requeue(q, { error: true });
    const message = status.plugin ? `running ${status.plugin}: ${status.message()}` : status.message();
    this.opts.logger?.warn({ pod: q.key, message }, 'scheduling error');
    this.recordEvent(pod, 'Warning', REASON_FAILED_SCHEDULING, message);
    this.setCondition(pod, REASON_SCHEDULER_ERROR, message);
  }

  private recordEvent(pod: PodObj, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.events.run(() => this.recorder.event(podRef(pod), type, reason, message));
  }

  private setCondition(pod: PodObj, reason: string, message: string): void {
    const client = this.opts.client.resource(PodResource);
    this.conditions.run(() => setUnschedulableCondition(client, pod, reason, message));
  }

  private servicesIn(namespace: string): readonly ServiceObj[] {
    if (!this.services.hasSynced() && this.services.store.size() === 0) return [];
    return this.services.store.byIndex(NAMESPACE_INDEX_NAME, namespace);
  }

  private wireInformers(): void {
    const targets: HandlerTargets = { cache: this.cache, queue: this.queue, schedulerName: this.schedulerName };
    this.services.store.addIndexer(NAMESPACE_INDEX_NAME, (s) => [s.metadata.namespace ?? '']);
    const p = podHandlers(targets);
    this.pods.on(InformerEvents.Add, p.add).on(InformerEvents.Update, p.update).on(InformerEvents.Delete, p.delete);
    const n = nodeHandlers(targets);
    this.nodes.on(InformerEvents.Add, n.add).on(InformerEvents.Update, n.update).on(InformerEvents.Delete, n.delete);
    const s = serviceHandlers(targets);
    this.services.on(InformerEvents.Add, s.add).on(InformerEvents.Update, s.update).on(InformerEvents.Delete, s.delete);
    const classChanged = () => this.queue.onEvent(ClusterEvent.RuntimeClassChange);
    this.runtimeClasses.on(InformerEvents.Add, classChanged).on(InformerEvents.Update, classChanged).on(InformerEvents.Delete, classChanged);
  }
}

const NAMESPACE_INDEX_NAME = 'namespace';

interface Writes {
  writer: KeepAliveWriter | undefined;
  binder: Binder;
  recorder: EventRecorder;
}

/** Binder and event recorder, over node:http keep-alive when allowed (see SchedulerOptions.fastWrites). */
function createWrites(opts: SchedulerOptions, schedulerName: string, onError: (err: unknown) => void): Writes {
  // A token file is re-read by the client's Transport; the writer holds static credentials only.
  const conn = opts.client.connection;
  const fast = (opts.fastWrites ?? true) && conn.tokenFile === undefined;
  const writer = fast
    ? new KeepAliveWriter({ server: conn.server, userAgent: `kite-scheduler/${schedulerName}`, ...(conn.tls ? { tls: conn.tls } : {}), ...(conn.token ? { token: conn.token } : {}) })
    : undefined;
  const bindFn: BindFn = writer ? bindVia(writer) : (ns, name, node) => opts.client.bindPod(ns, name, node);
  const eventClient = writer ? eventClientVia(writer) : opts.client.resource(EventResource);
  return {
    writer,
    binder: new Binder(bindFn, opts.bindMaxInFlight ?? BIND_MAX_IN_FLIGHT),
    recorder: new EventRecorder({ client: eventClient, component: schedulerName, clock: opts.clock, onError }),
  };
}
