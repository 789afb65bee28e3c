// RuntimeClass: a pod may only go to a node that offers the runtime(s) it needs (BRIEF §4).
//
// - The pod's runtime is the handler of its RuntimeClass (`spec.runtimeClassName`) when set: the
//   built-in classes `wasm` and `docker` name the handlers of the same name; a class the scheduler
//   has not seen yet counts as a handler of its own name. Otherwise each container's image decides (init containers too): a
//   Wasm module (a path or URL ending in `.wasm`, or any URL with a scheme such as https:// or
//   file://; Docker references never contain "://") needs 'wasm', anything else 'docker'.
// - Nodes advertise runtimes as labels `runtime.kite.dev/NAME=true` (RUNTIME_LABEL_PREFIX), set by
//   their kubelet from its --runtimes flag. A node without the label does not offer the runtime.
//   (The convention and the per-node bit mask live in framework/runtimes.ts.)
import { StateKey, type CycleState } from '../../framework/cycle-state.js';
import { ClusterEvent } from '../../framework/events.js';
import type { EnqueueExtensions, FilterPlugin, Handle, PreFilterPlugin } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { SUCCESS, unresolvable, type Status } from '../../framework/status.js';
import { RUNTIME_LABEL_PREFIX, RUNTIME_LABEL_VALUE, runtimeBit, runtimeLabel } from '../../framework/runtimes.js';
import type { PodSpecObj } from '../../framework/types.js';
import { RUNTIME_DOCKER, RUNTIME_WASM, isWasmImage } from '@kite/api-types';

export { RUNTIME_DOCKER, RUNTIME_WASM, isWasmImage };

export const NAME = 'RuntimeClass';
export { RUNTIME_LABEL_PREFIX, RUNTIME_LABEL_VALUE, runtimeLabel };
export const reasonRuntime = (runtime: string): string => `node(s) didn't offer the ${runtime} runtime`;


/** The runtimes a pod needs, in a stable order (see the file comment for the rule). */
export function podRuntimes(spec: PodSpecObj | undefined, handlerOf: (className: string) => string | undefined = () => undefined): string[] {
  if (spec?.runtimeClassName) return [handlerOf(spec.runtimeClassName) ?? spec.runtimeClassName];
  const needed = new Set<string>();
  for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) {
    needed.add(isWasmImage(c.image ?? '') ? RUNTIME_WASM : RUNTIME_DOCKER);
  }
  return [...needed].sort();
}

interface Needed {
  runtime: string;
  /** 0 when the name has no bit (see runtimes.ts): then the label is checked. */
  bit: number;
  label: string;
  rejected: Status;
}

interface State {
  needed: readonly Needed[];
  /** OR of the bits; every needed runtime has one when `allBits`. */
  mask: number;
  allBits: boolean;
}

const stateKey = new StateKey<State>(NAME);
/** Rejections per runtime name, shared across cycles. */
const rejections = new Map<string, Status>();

function rejectionFor(runtime: string): Status {
  let s = rejections.get(runtime);
  if (!s) rejections.set(runtime, (s = unresolvable(reasonRuntime(runtime))));
  return s;
}

export class RuntimeClass implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  readonly name = NAME;

  constructor(private readonly handlerOf: (className: string) => string | undefined = () => undefined) {}

  preFilter(state: CycleState, pod: PodInfo): Status {
    const needed = podRuntimes(pod.pod.spec, this.handlerOf).map((runtime) => ({ runtime, bit: runtimeBit(runtime), label: runtimeLabel(runtime), rejected: rejectionFor(runtime) }));
    const mask = needed.reduce((m, n) => m | n.bit, 0);
    state.write(stateKey, { needed, mask, allBits: needed.every((n) => n.bit !== 0) });
    return SUCCESS;
  }

  filter(state: CycleState, _pod: PodInfo, node: NodeInfo): Status {
    const s = state.read(stateKey);
    if (!s) return SUCCESS;
    if (s.allBits && (node.runtimeMask & s.mask) === s.mask) return SUCCESS;
    for (const n of s.needed) {
      const offered = n.bit !== 0 ? (node.runtimeMask & n.bit) !== 0 : node.labels[n.label] === RUNTIME_LABEL_VALUE;
      if (!offered) return n.rejected;
    }
    return SUCCESS;
  }

  events(): readonly ClusterEvent[] {
    return [ClusterEvent.NodeAdd, ClusterEvent.NodeUpdate, ClusterEvent.RuntimeClassChange];
  }
}

export const newRuntimeClass = (handle?: Handle): RuntimeClass => new RuntimeClass(handle?.runtimeHandler);
