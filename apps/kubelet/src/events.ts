// Records core/v1 Events about pods (Pulled, Created, Started, Killing, BackOff, Unhealthy ...),
// folding repeats of the same reason and message into a count, as the Kubernetes recorder does.
import { EventResource, type Event, type Pod } from '@kite/api-types';
import type { KubeClient } from '@kite/client';
import type { Logger } from '@kite/component-base';

const nowIso = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export class PodEventRecorder {
  private readonly seen = new Map<string, { name: string; namespace: string; count: number }>();

  constructor(
    private readonly client: KubeClient,
    private readonly component: string,
    private readonly host: string,
    private readonly log: Logger,
  ) {}

  record(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string): void {
    void this.send(pod, type, reason, message).catch((err: unknown) => this.log.debug({ err, reason }, 'event not recorded'));
  }

  private async send(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const events = this.client.resource(EventResource);
    const namespace = pod.metadata.namespace ?? 'default';
    const key = `${pod.metadata.uid ?? ''}/${reason}/${message}`;
    const prior = this.seen.get(key);
    const now = nowIso();
    if (prior) {
      prior.count++;
      await events.patch(prior.name, { count: prior.count, lastTimestamp: now }, { type: 'merge', namespace });
      return;
    }
    const event: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { generateName: `${pod.metadata.name ?? 'pod'}.`, namespace },
      involvedObject: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name ?? '', namespace, uid: pod.metadata.uid ?? '', ...(pod.metadata.resourceVersion ? { resourceVersion: pod.metadata.resourceVersion } : {}) },
      reason,
      message,
      type,
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component: this.component, host: this.host },
      reportingComponent: this.component,
      reportingInstance: this.host,
    } as Event;
    const created = await events.create(event);
    this.seen.set(key, { name: created.metadata.name ?? '', namespace, count: 1 });
    if (this.seen.size > 10_000) this.seen.delete(this.seen.keys().next().value ?? '');
  }
}
