// Sends pod status to the apiserver when it changed, as a merge patch of the status subresource
// (so it never conflicts with spec changes), and remembers what was sent.
import { PodResource, type PodStatus } from '@kite/api-types';
import { isNotFound } from '@kite/apimachinery';
import type { KubeClient } from '@kite/client';
import type { PodObj } from '../objects.js';

export class StatusManager {
  private readonly sent = new Map<string, string>();

  constructor(private readonly client: KubeClient) {}

  async push(pod: PodObj, status: PodStatus): Promise<void> {
    const uid = pod.metadata.uid ?? '';
    const json = JSON.stringify(status);
    if (this.sent.get(uid) === json || JSON.stringify(pod.status) === json) {
      this.sent.set(uid, json);
      return;
    }
    try {
      await this.client.resource(PodResource).patch(pod.metadata.name ?? '', { status }, { type: 'merge', subresource: 'status', namespace: pod.metadata.namespace ?? 'default' });
      this.sent.set(uid, json);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** A copy of the status last sent (or found already current) for the pod, if any. */
  lastStatus(uid: string): PodStatus | undefined {
    const json = this.sent.get(uid);
    return json === undefined ? undefined : (JSON.parse(json) as PodStatus);
  }

  forget(uid: string): void {
    this.sent.delete(uid);
  }
}
