// RuntimeClass: a pod may only go to a node that offers the runtime(s) it needs (BRIEF §4).
//
// - The pod's runtime is `spec.runtimeClassName` when set ('wasm', 'docker', or any other name a
//   kubelet might advertise). Otherwise each container's image decides (init containers too): a
//   Wasm module (a path or URL ending in `.wasm`, or any URL with a scheme such as https:// or
//   file://; Docker references never contain "://") needs 'wasm', anything else 'docker'.
// - Nodes advertise runtimes as labels `runtime.kite.dev/NAME=true` (RUNTIME_LABEL_PREFIX), set by
//   their kubelet from its --runtimes flag. A node without the label does not offer the runtime.
import { StateKey, type CycleState } from '../../framework/cycle-state.js';
import { ClusterEvent } from '../../framework/events.js';
import type { EnqueueExtensions, FilterPlugin, PreFilterPlugin } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { SUCCESS, unresolvable, type Status } from '../../framework/status.js';
import type { PodSpecObj } from '../../framework/types.js';

export const NAME = 'RuntimeClass';
/** Node label prefix: `runtime.kite.dev/wasm=true` means the node runs Wasm pods. */
export const RUNTIME_LABEL_PREFIX = 'runtime.kite.dev/';
export const RUNTIME_LABEL_VALUE = 'true';
export const RUNTIME_WASM = 'wasm';
export const RUNTIME_DOCKER = 'docker';

/** The node label that advertises `runtime`. */
export const runtimeLabel = (runtime: string): string => `${RUNTIME_LABEL_PREFIX}${runtime}`;
export const reasonRuntime = (runtime: string): string => `node(s) didn't offer the ${runtime} runtime`;

const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Whether an image reference names a Wasm module rather than a container image. */
export function isWasmImage(image: string): boolean {
  if (URL_SCHEME.test(image)) return true;
  const path = image.replace(/[?#].*$/, '');
  return path.toLowerCase().endsWith('.wasm');
}

/** The runtimes a pod needs, in a stable order (see the file comment for the rule). */
export function podRuntimes(spec: PodSpecObj | undefined): string[] {
  if (spec?.runtimeClassName) return [spec.runtimeClassName];
  const needed = new Set<string>();
  for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) {
    needed.add(isWasmImage(c.image ?? '') ? RUNTIME_WASM : RUNTIME_DOCKER);
  }
  return [...needed].sort();
}

interface Needed {
  runtime: string;
  label: string;
  rejected: Status;
}

const stateKey = new StateKey<readonly Needed[]>(NAME);
/** Rejections per runtime name, shared across cycles. */
const rejections = new Map<string, Status>();

function rejectionFor(runtime: string): Status {
  let s = rejections.get(runtime);
  if (!s) rejections.set(runtime, (s = unresolvable(reasonRuntime(runtime))));
  return s;
}

export class RuntimeClass implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  readonly name = NAME;

  preFilter(state: CycleState, pod: PodInfo): Status {
    const needed = podRuntimes(pod.pod.spec).map((runtime) => ({ runtime, label: runtimeLabel(runtime), rejected: rejectionFor(runtime) }));
    state.write(stateKey, needed);
    return SUCCESS;
  }

  filter(state: CycleState, _pod: PodInfo, node: NodeInfo): Status {
    for (const n of state.read(stateKey) ?? []) {
      if (node.labels[n.label] !== RUNTIME_LABEL_VALUE) return n.rejected;
    }
    return SUCCESS;
  }

  events(): readonly ClusterEvent[] {
    return [ClusterEvent.NodeAdd, ClusterEvent.NodeUpdate];
  }
}

export const newRuntimeClass = (): RuntimeClass => new RuntimeClass();
