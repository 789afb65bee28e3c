// NodeInfo: one node as the scheduler sees it — the Node object with its scheduling-relevant
// fields pre-parsed, and the running totals of the pods on it (bound and assumed).
//
// Contract:
// - `requested` is the sum of the effective requests of `pods`; `nonZeroRequested` the same with
//   scoring defaults; `usedPorts` their host ports; `controllerCounts` how many pods each
//   controlling owner has here. Every add/remove keeps them exact, so filters read O(1) numbers.
// - `node` may be undefined: pods can be bound to a node the cache has not seen yet (the pod
//   event arrived first). Such a NodeInfo keeps the accounting but is never a candidate.
// - `generation` increases on every change; tests and debugging use it to see that a node moved.
import type { Taint } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';
import { HostPortSet } from './host-ports.js';
import type { PodInfo } from './pod-info.js';
import { Resources, type NonZero } from './resources.js';
import { runtimeMaskOf } from './runtimes.js';
import type { NodeObj } from './types.js';

export type TaintObj = DeepReadonly<Taint>;

const NO_LABELS: Readonly<Record<string, string>> = Object.freeze({});

export class NodeInfo {
  readonly name: string;
  node: NodeObj | undefined;
  allocatable = new Resources();
  labels: Readonly<Record<string, string>> = NO_LABELS;
  taints: readonly TaintObj[] = [];
  /** Some taint has effect PreferNoSchedule (lets the taint score skip clean clusters at once). */
  hasPreferNoSchedule = false;
  /** Runtimes the node advertises, as bits of framework/runtimes.ts. */
  runtimeMask = 0;
  /** The Ready condition is True. */
  ready = false;
  unschedulable = false;

  readonly pods = new Map<string, PodInfo>();
  readonly requested = new Resources();
  readonly nonZeroRequested: NonZero = { milliCPU: 0, memory: 0 };
  readonly usedPorts = new HostPortSet();
  readonly controllerCounts = new Map<string, number>();
  /** Pods here with required anti-affinity terms, which incoming pods must respect. */
  readonly podsWithRequiredAntiAffinity = new Map<string, PodInfo>();
  generation = 0;

  constructor(name: string) {
    this.name = name;
  }

  setNode(node: NodeObj | undefined): void {
    this.node = node;
    this.allocatable = Resources.fromList(node?.status?.allocatable ?? node?.status?.capacity);
    this.labels = node?.metadata.labels ?? NO_LABELS;
    this.runtimeMask = runtimeMaskOf(this.labels);
    this.taints = node?.spec?.taints ?? [];
    this.hasPreferNoSchedule = this.taints.some((t) => t.effect === 'PreferNoSchedule');
    this.ready = node?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    this.unschedulable = node?.spec?.unschedulable === true;
    this.generation++;
  }

  addPod(pi: PodInfo): void {
    if (this.pods.has(pi.key)) this.removePod(pi.key);
    this.pods.set(pi.key, pi);
    this.account(pi, 1);
  }

  removePod(key: string): PodInfo | undefined {
    const pi = this.pods.get(key);
    if (!pi) return undefined;
    this.pods.delete(key);
    this.account(pi, -1);
    return pi;
  }

  private account(pi: PodInfo, sign: 1 | -1): void {
    this.requested.add(pi.requests, sign);
    this.nonZeroRequested.milliCPU += sign * pi.nonZero.milliCPU;
    this.nonZeroRequested.memory += sign * pi.nonZero.memory;
    for (const p of pi.hostPorts) this.usedPorts.add(p, sign);
    if (pi.controllerUid !== undefined) {
      const n = (this.controllerCounts.get(pi.controllerUid) ?? 0) + sign;
      if (n > 0) this.controllerCounts.set(pi.controllerUid, n);
      else this.controllerCounts.delete(pi.controllerUid);
    }
    if (pi.requiredAntiAffinity.length > 0) {
      if (sign > 0) this.podsWithRequiredAntiAffinity.set(pi.key, pi);
      else this.podsWithRequiredAntiAffinity.delete(pi.key);
    }
    this.generation++;
  }
}
