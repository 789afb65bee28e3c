// Node runtimes (BRIEF §4) as the scheduler reads them. A kubelet advertises each runtime it offers
// as the node label `runtime.kite.dev/NAME=true` (wasm, docker, ...). The label convention is a
// cluster-wide contract between kubelets and the scheduler, so it lives here rather than in one
// plugin. NodeInfo turns a node's labels into a bit mask once per node update, so that checking a
// pod's runtimes against a node costs one AND instead of label lookups for every pod.

import { RUNTIME_LABEL_PREFIX, RUNTIME_LABEL_VALUE, runtimeLabel } from '@kite/api-types';

export { RUNTIME_LABEL_PREFIX, RUNTIME_LABEL_VALUE, runtimeLabel };

/** Runtime names get bits in the order first seen; past 30 names, masks cannot express them. */
const MAX_RUNTIME_BITS = 30;
const bits = new Map<string, number>();

/** The bit of a runtime name, or 0 when the name table is full (callers then fall back to labels). */
export function runtimeBit(name: string): number {
  let bit = bits.get(name);
  if (bit === undefined) {
    bit = bits.size < MAX_RUNTIME_BITS ? 1 << bits.size : 0;
    bits.set(name, bit);
  }
  return bit;
}

/** The mask of the runtimes a node's labels advertise. */
export function runtimeMaskOf(labels: Readonly<Record<string, string>>): number {
  let mask = 0;
  for (const key in labels) {
    if (key.startsWith(RUNTIME_LABEL_PREFIX) && labels[key] === RUNTIME_LABEL_VALUE) mask |= runtimeBit(key.slice(RUNTIME_LABEL_PREFIX.length));
  }
  return mask;
}
