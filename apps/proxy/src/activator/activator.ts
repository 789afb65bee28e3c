// Activator: scale from zero. A request for a Service port without ready endpoints, whose Service
// selects the pods of a Deployment annotated `kite.dev/scale-to-zero-after`, is held here instead
// of answered 503; the Deployment is asked for one replica; the held requests go on as soon as the
// port has a ready endpoint: the proxier calls `serviceChanged` when the EndpointSlice watch says
// so, and sooner, the Activation's own watch of the Service's pods (ready-pods.ts) sees the first
// pod turn Ready and the held requests go straight to it (pod-backends.ts). Sooner still, a pod
// that is Running but not yet Ready is checked with its own readiness probe by the activator
// (pod-probe.ts, every PROBE_RETRY_MS while requests are held): once it passes, the pod gets them.
//
// Contract:
// - One Activation per Service, from its first held request until none is held. It asks for a
//   replica once (scaler.ts: a no-op when the Deployment asks for ≥ 1 already), retrying every
//   SCALE_RETRY_MS while the request fails and requests are still held. Concurrent requests join
//   the Activation; they never cause a second scale-up.
// - Bounds (hold-queue.ts): at most `queueLimit` requests held per Service — the next is refused
//   at once — and none longer than `timeoutMs`. Refusals are 503 with a Status body (status.ts)
//   whose message names the Service and why (queue full, timed out — with the last scaling error
//   if there was one —, Service removed, proxy stopping).
// - `hold` returns false when the Service has no such Deployment (and no Activation is running):
//   the caller then answers as it always has.
// - One timer per Activation, set for its earliest deadline.
import type { Deployment, Pod, Service } from '@kite/api-types';
import type { Clock, DeepReadonly, TimerHandle } from '@kite/client';
import { systemClock } from '@kite/client';
import type { Logger } from '@kite/component-base';
import { ErrorReasons, type ProxyMetrics } from '../metrics.js';
import type { DeploymentLookup } from './deployments.js';
import type { Backend } from '../catalog/endpoints.js';
import type { HeldRequest } from './held.js';
import { HoldQueue } from './hold-queue.js';
import { podBackends } from './pod-backends.js';
import { probeOnce, probeTargets, type ProbeTarget } from './pod-probe.js';
import type { PodSource, PodWatch } from './ready-pods.js';
import { ScaleOutcomes, type ReplicaRequester } from './scaler.js';
import { unavailableStatus } from './status.js';

/** Wait between attempts to ask for a replica when the apiserver refused or failed. */
export const SCALE_RETRY_MS = 1000;
/** Wait between the activator's own readiness checks of a starting pod. */
export const PROBE_RETRY_MS = 5;

export interface ActivatorOptions {
  deployments: DeploymentLookup;
  /** The Service of a `namespace/name` key (the proxy's catalog). */
  services: (key: string) => DeepReadonly<Service> | undefined;
  scaler: ReplicaRequester;
  /** Watches a Service's pods during an Activation, to forward to the first Ready one (optional). */
  pods?: PodSource;
  metrics: ProxyMetrics;
  log: Logger;
  /** Requests held at most per Service (--activator-queue-limit). */
  queueLimit: number;
  /** Longest hold of one request (--activator-timeout). */
  timeoutMs: number;
  /** Told when this proxy moved a Deployment from 0 to 1 (main.ts records an Event). */
  onScaledUp?: (deployment: DeepReadonly<Deployment>, message: string) => void;
  clock?: Clock;
}

interface Activation {
  service: string;
  target: DeepReadonly<Deployment>;
  queue: HoldQueue<HeldRequest>;
  timer?: TimerHandle;
  retry?: TimerHandle;
  /** Why the last attempt to ask for a replica failed, for the timeout message. */
  lastError?: string;
  /** The Activation's own watch of the Service's pods, and what it saw last. */
  podWatch?: PodWatch;
  pods: readonly DeepReadonly<Pod>[];
  /** Pods (by uid) the activator's own readiness check passed, and the checks under way. */
  probed: Set<string>;
  probing: Map<string, TimerHandle | undefined>;
}

const keyOf = (o: DeepReadonly<Deployment>) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
const secondsText = (ms: number) => `${Number((ms / 1000).toFixed(3))}s`;

export class Activator {
  private readonly activations = new Map<string, Activation>();
  private readonly clock: Clock;
  private stopped = false;

  constructor(private readonly opts: ActivatorOptions) {
    this.clock = opts.clock ?? systemClock;
  }

  /** Holds `held` for its Service when that Service can be activated; false leaves it to the caller. */
  hold(held: HeldRequest): boolean {
    if (this.stopped) return false;
    const service = held.route.service;
    const a = this.activations.get(service) ?? this.begin(service);
    if (!a) return false;
    const admission = a.queue.add(held, this.clock.now());
    if (!admission.held) {
      const why = `service ${service} is starting from zero replicas and already holds ${this.opts.queueLimit} requests (--activator-queue-limit)`;
      held.refuse(unavailableStatus(why), ErrorReasons.ActivationQueueFull);
      return true;
    }
    held.onGone(() => {
      if (a.queue.remove(held)) this.settle(a);
    });
    this.settle(a);
    return true;
  }

  /** The Service's definition or endpoints changed: forward what can go now. */
  serviceChanged(service: string): void {
    const a = this.activations.get(service);
    if (!a) return;
    if (!this.opts.services(service)) {
      this.refuseAll(a, `service ${service} was removed while the request was held`);
      return;
    }
    this.forwardReady(a);
  }

  /** Forwards the held requests that can go now: through their route's endpoints, else to a Ready pod. */
  private forwardReady(a: Activation): void {
    const svc = this.opts.services(a.service);
    const direct = new Map<string, Backend[]>();
    const podsFor = (portName: string): Backend[] => {
      let bs = direct.get(portName);
      if (!bs) direct.set(portName, (bs = svc ? podBackends(svc, portName, a.pods, a.probed) : []));
      return bs;
    };
    const ready = a.queue.take((h) => h.route.balancer.size() > 0 || podsFor(h.route.portName).length > 0);
    if (ready.length > 0) this.opts.log.info({ service: a.service, deployment: keyOf(a.target), requests: ready.length }, 'endpoint ready: forwarding held requests');
    let i = 0;
    for (const h of ready) {
      if (h.route.balancer.size() > 0) h.forward();
      else {
        const bs = podsFor(h.route.portName);
        h.forward(bs[i++ % bs.length]);
      }
    }
    this.settle(a);
  }

  /** Refuses every held request and holds no more. */
  stop(): void {
    this.stopped = true;
    for (const a of [...this.activations.values()]) this.refuseAll(a, `the proxy is stopping; service ${a.service} had no ready endpoint yet`);
  }

  private begin(service: string): Activation | undefined {
    const svc = this.opts.services(service);
    const target = svc && this.opts.deployments.targetFor(svc);
    if (!target) return undefined;
    const a: Activation = { service, target, queue: new HoldQueue<HeldRequest>(this.opts.queueLimit, this.opts.timeoutMs), pods: [], probed: new Set(), probing: new Map() };
    this.activations.set(service, a);
    const selector = svc.spec?.selector;
    if (this.opts.pods && selector) {
      a.podWatch = this.opts.pods(svc.metadata.namespace ?? '', selector, (pods) => {
        if (this.activations.get(service) !== a) return;
        a.pods = pods;
        this.probePods(a);
        this.forwardReady(a);
      });
    }
    this.opts.metrics.activations.inc({ service });
    this.opts.log.info({ service, deployment: keyOf(target) }, 'no ready endpoint: holding requests and asking for a replica');
    this.scale(a);
    return a;
  }

  private scale(a: Activation): void {
    a.retry = undefined;
    const ns = a.target.metadata.namespace ?? '';
    const name = a.target.metadata.name ?? '';
    this.opts.scaler.requestReplica(ns, name).then(
      (outcome) => {
        a.lastError = undefined;
        this.opts.log.info({ service: a.service, deployment: keyOf(a.target), outcome }, 'replica requested');
        if (outcome === ScaleOutcomes.ScaledUp) this.opts.onScaledUp?.(a.target, `Scaled up from 0 to 1 replica: a request to service ${a.service} is waiting`);
      },
      (err: unknown) => {
        a.lastError = err instanceof Error ? err.message : String(err);
        this.opts.log.warn({ service: a.service, deployment: keyOf(a.target), err: a.lastError }, 'asking for a replica failed');
        if (this.activations.get(a.service) === a) a.retry = this.clock.setTimer(() => this.scale(a), SCALE_RETRY_MS);
      },
    );
  }

  /** After any change to the queue: end the Activation when empty, else re-arm its timer. */
  private settle(a: Activation): void {
    if (a.timer) this.clock.clearTimer(a.timer);
    a.timer = undefined;
    if (a.queue.size === 0) {
      this.end(a);
      return;
    }
    this.opts.metrics.heldRequests.set({ service: a.service }, a.queue.size);
    const next = a.queue.nextDeadline() ?? this.clock.now();
    a.timer = this.clock.setTimer(() => this.expire(a), Math.max(0, next - this.clock.now()));
  }

  private expire(a: Activation): void {
    a.timer = undefined;
    const failed = a.lastError ? `; asking deployment ${keyOf(a.target)} for a replica failed: ${a.lastError}` : ` while deployment ${keyOf(a.target)} scales up from zero`;
    const why = `service ${a.service} has no ready endpoint after ${secondsText(this.opts.timeoutMs)} (--activator-timeout)${failed}`;
    for (const h of a.queue.expire(this.clock.now())) h.refuse(unavailableStatus(why), ErrorReasons.ActivationTimeout);
    this.settle(a);
  }

  private refuseAll(a: Activation, why: string): void {
    for (const h of a.queue.take(() => true)) h.refuse(unavailableStatus(why), ErrorReasons.NoEndpoints);
    this.settle(a);
  }

  /** Starts the activator's own readiness check of each starting pod it can check. */
  private probePods(a: Activation): void {
    for (const pod of a.pods) {
      const uid = pod.metadata.uid ?? '';
      if (!uid || a.probed.has(uid) || a.probing.has(uid)) continue;
      const targets = probeTargets(pod);
      if (targets) this.probeUntilReady(a, uid, targets);
    }
  }

  /** Checks every PROBE_RETRY_MS while the Activation lasts and the pod still wants checking. */
  private probeUntilReady(a: Activation, uid: string, targets: ProbeTarget[]): void {
    a.probing.set(uid, undefined);
    const attempt = async () => {
      const ok = (await Promise.all(targets.map((t) => probeOnce(t)))).every(Boolean);
      if (this.activations.get(a.service) !== a || !a.probing.has(uid)) return;
      const pod = a.pods.find((p) => p.metadata.uid === uid);
      if (ok && pod) {
        a.probing.delete(uid);
        a.probed.add(uid);
        this.opts.log.info({ service: a.service, pod: pod.metadata.name }, 'starting pod passed its readiness probe: forwarding held requests');
        this.forwardReady(a);
      } else if (pod && probeTargets(pod)) {
        a.probing.set(uid, this.clock.setTimer(() => void attempt(), PROBE_RETRY_MS));
      } else {
        a.probing.delete(uid);
      }
    };
    void attempt();
  }

  private end(a: Activation): void {
    if (a.retry) this.clock.clearTimer(a.retry);
    a.retry = undefined;
    a.podWatch?.stop();
    a.podWatch = undefined;
    for (const timer of a.probing.values()) if (timer) this.clock.clearTimer(timer);
    a.probing.clear();
    if (this.activations.get(a.service) === a) this.activations.delete(a.service);
    this.opts.metrics.heldRequests.remove({ service: a.service });
  }
}
