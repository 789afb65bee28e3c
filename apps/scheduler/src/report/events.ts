// The scheduler's Events and their wording. They are written through a BoundedRunner so they never slow
// scheduling down (see bounded-runner.ts): at most EVENT_MAX_IN_FLIGHT writes at once, up to
// EVENT_MAX_BACKLOG waiting, the rest dropped and counted.
import type { InvolvedObject } from '@kite/client';
import type { PodObj } from '../framework/types.js';

/**
 * Concurrent event writes. Few on purpose: events trail the bindings under load instead of
 * competing with them for the apiserver, and catch up when the burst is over.
 */
export const EVENT_MAX_IN_FLIGHT = 4;
/** Events waiting beyond that before new ones are dropped. */
export const EVENT_MAX_BACKLOG = 10_000;

export const REASON_SCHEDULED = 'Scheduled';
export const REASON_FAILED_SCHEDULING = 'FailedScheduling';

/** `Successfully assigned NS/NAME to NODE`, Kubernetes' Scheduled message. */
export function scheduledMessage(pod: PodObj, nodeName: string): string {
  return `Successfully assigned ${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''} to ${nodeName}`;
}

/** `Binding rejected: ...`, Kubernetes' FailedScheduling message when the binding fails. */
export function bindingRejectedMessage(err: unknown): string {
  return `Binding rejected: ${err instanceof Error ? err.message : String(err)}`;
}

/** The Pod reference an event needs (informer objects may lack apiVersion and kind). */
export function podRef(pod: PodObj): InvolvedObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: pod.metadata };
}
