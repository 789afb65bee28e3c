// Resource arithmetic in the units the scheduler compares: CPU in millicores, memory and every
// other resource as integers (bytes, counts), so sums and comparisons are exact enough and cheap.
//
// A pod's request is what it holds while running, as Kubernetes computes it:
//   request = max(sum(app containers) + sum(sidecars), max over init steps) + overhead
// where an init step is one ordinary init container plus the sidecars (init containers with
// restartPolicy Always) started before it. Worked example: app containers 100m + 200m, init
// containers 500m and 50m, no sidecars: max(300m, 500m) = 500m, so the node must have 500m free,
// because the 500m init container runs alone before the app containers start.
import { quantityMilliValue, quantityValue } from '@kite/api-types';
import type { ContainerObj, PodSpecObj, ResourceListObj } from './types.js';

export const CPU = 'cpu';
export const MEMORY = 'memory';
export const PODS = 'pods';

/**
 * What a container without a CPU or memory request counts as when scoring (not when filtering), so
 * that best-effort pods still spread instead of piling onto one node: 100 millicores and 200 MiB,
 * Kubernetes' defaults for the same purpose.
 */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export class Resources {
  milliCPU = 0;
  memory = 0;
  /** Number of pods (allocatable) — pod requests leave it 0; the fit check counts pods itself. */
  pods = 0;
  /** Every other resource (ephemeral-storage, extended resources), absent when none is named. */
  scalar: Map<string, number> | undefined;

  static fromList(list: ResourceListObj | undefined): Resources {
    const r = new Resources();
    if (list) r.addList(list);
    return r;
  }

  addList(list: ResourceListObj): void {
    for (const name of Object.keys(list)) {
      const q = list[name];
      if (q !== undefined) this.addOne(name, q);
    }
  }

  add(other: Resources, sign = 1): void {
    this.milliCPU += sign * other.milliCPU;
    this.memory += sign * other.memory;
    this.pods += sign * other.pods;
    if (!other.scalar) return;
    for (const [name, v] of other.scalar) this.setScalar(name, (this.scalar?.get(name) ?? 0) + sign * v);
  }

  /** Raises every resource to at least `other`'s value. */
  max(other: Resources): void {
    this.milliCPU = Math.max(this.milliCPU, other.milliCPU);
    this.memory = Math.max(this.memory, other.memory);
    this.pods = Math.max(this.pods, other.pods);
    if (!other.scalar) return;
    for (const [name, v] of other.scalar) this.setScalar(name, Math.max(this.scalar?.get(name) ?? 0, v));
  }

  get(name: string): number {
    if (name === CPU) return this.milliCPU;
    if (name === MEMORY) return this.memory;
    if (name === PODS) return this.pods;
    return this.scalar?.get(name) ?? 0;
  }

  clone(): Resources {
    const r = new Resources();
    r.add(this);
    return r;
  }

  private addOne(name: string, q: string | number): void {
    if (name === CPU) this.milliCPU += quantityMilliValue(q);
    else if (name === MEMORY) this.memory += quantityValue(q);
    else if (name === PODS) this.pods += quantityValue(q);
    else this.setScalar(name, (this.scalar?.get(name) ?? 0) + quantityValue(q));
  }

  private setScalar(name: string, v: number): void {
    this.scalar ??= new Map();
    this.scalar.set(name, v);
  }
}

/** CPU and memory as counted for scoring: absent requests count as the defaults above. */
export interface NonZero {
  milliCPU: number;
  memory: number;
}

function containerRequests(c: ContainerObj): Resources {
  return Resources.fromList(c.resources?.requests);
}

function nonZeroOf(r: Resources, c: ContainerObj): NonZero {
  const req = c.resources?.requests;
  return {
    milliCPU: req?.[CPU] === undefined ? DEFAULT_MILLI_CPU_REQUEST : r.milliCPU,
    memory: req?.[MEMORY] === undefined ? DEFAULT_MEMORY_REQUEST : r.memory,
  };
}

export interface PodRequests {
  /** What the pod reserves on a node, for filtering and for the node's running total. */
  requests: Resources;
  /** CPU and memory with defaults for unset requests, for scoring. */
  nonZero: NonZero;
}

/** The effective request of a pod (see the file comment for the rule and a worked example). */
export function computePodRequests(spec: PodSpecObj | undefined): PodRequests {
  const requests = new Resources();
  const nonZero: NonZero = { milliCPU: 0, memory: 0 };
  if (!spec) return { requests, nonZero };
  for (const c of spec.containers) {
    const r = containerRequests(c);
    requests.add(r);
    addNonZero(nonZero, nonZeroOf(r, c));
  }
  const init = initMaximum(spec.initContainers ?? []);
  requests.add(init.sidecars);
  addNonZero(nonZero, init.sidecarsNonZero);
  requests.max(init.peak);
  nonZero.milliCPU = Math.max(nonZero.milliCPU, init.peakNonZero.milliCPU);
  nonZero.memory = Math.max(nonZero.memory, init.peakNonZero.memory);
  if (spec.overhead) {
    const overhead = Resources.fromList(spec.overhead);
    requests.add(overhead);
    addNonZero(nonZero, overhead);
  }
  return { requests, nonZero };
}

interface InitMaximum {
  /** Sum of all sidecars: they keep running beside the app containers. */
  sidecars: Resources;
  sidecarsNonZero: NonZero;
  /** The largest init step: one init container plus the sidecars started before it. */
  peak: Resources;
  peakNonZero: NonZero;
}

function initMaximum(initContainers: readonly ContainerObj[]): InitMaximum {
  const sidecars = new Resources();
  const sidecarsNonZero: NonZero = { milliCPU: 0, memory: 0 };
  const peak = new Resources();
  const peakNonZero: NonZero = { milliCPU: 0, memory: 0 };
  for (const c of initContainers) {
    const r = containerRequests(c);
    const nz = nonZeroOf(r, c);
    if (c.restartPolicy === 'Always') {
      sidecars.add(r);
      addNonZero(sidecarsNonZero, nz);
      continue;
    }
    const step = sidecars.clone();
    step.add(r);
    peak.max(step);
    peakNonZero.milliCPU = Math.max(peakNonZero.milliCPU, sidecarsNonZero.milliCPU + nz.milliCPU);
    peakNonZero.memory = Math.max(peakNonZero.memory, sidecarsNonZero.memory + nz.memory);
  }
  return { sidecars, sidecarsNonZero, peak, peakNonZero };
}

function addNonZero(into: NonZero, r: NonZero): void {
  into.milliCPU += r.milliCPU;
  into.memory += r.memory;
}
