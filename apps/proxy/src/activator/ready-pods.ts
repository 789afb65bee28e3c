// ReadyPods: while a Service scales from zero, the activator watches that Service's pods itself
// (one list-then-watch, selected by the Service's selector in its namespace) and forwards the held
// requests to the first pod that turns Ready, instead of waiting for the EndpointSlice controller
// to publish it and the proxier to pick the slice up — one more write and two more watch hops,
// about a fifth of a Wasm cold start. Knative's activator likewise sends to a pod as soon as it
// knows the pod is ready. Only Ready pods get traffic (pod-backends.ts), as through a slice.
//
// Contract:
// - `watch` starts the informer at once and calls `onChange` with the current pods after the
//   first list and after every change; `stop()` ends it (idempotent). Failures of the watch are
//   reported through `onError` and retried by the informer; the activator still forwards when
//   the EndpointSlice arrives, so a failed pods watch only costs the fast path.
// - A watch lives only as long as one Activation: a proxy at rest watches no pods.
import { PodResource, type Pod } from '@kite/api-types';
import { Informer, type DeepReadonly, type InformerPhase, type KubeClient } from '@kite/client';

export interface PodWatch {
  stop(): void;
}

/** What the activator needs: the pods of one selector in one namespace, as they change. */
export type PodSource = (namespace: string, selector: Readonly<Record<string, string>>, onChange: (pods: readonly DeepReadonly<Pod>[]) => void) => PodWatch;

function labelSelector(selector: Readonly<Record<string, string>>): string {
  return Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export function informerPodSource(client: KubeClient, onError?: (err: unknown, phase: InformerPhase) => void): PodSource {
  return (namespace, selector, onChange) => {
    const informer = new Informer<Pod>({ client: client.resource(PodResource), namespace, labelSelector: labelSelector(selector), onError });
    let stopped = false;
    const changed = () => {
      if (!stopped) onChange(informer.store.list());
    };
    informer.on('add', changed).on('update', changed).on('delete', changed);
    informer.start().then(changed, (err: unknown) => {
      if (!stopped) onError?.(err, 'list');
    });
    return {
      stop: () => {
        if (stopped) return;
        stopped = true;
        void informer.stop();
      },
    };
  };
}
