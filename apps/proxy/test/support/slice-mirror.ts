// A stand-in for the controller manager's EndpointSlice controller, used by the end-to-end tests
// only while apps/controller does not offer one: it keeps one EndpointSlice for a Service in step
// with the pods its selector matches (ready = the pod's Ready condition and not terminating,
// as the real controller publishes them). Writes are serialised and coalesced.
import { isNotFound } from '@kite/apimachinery';
import { Informer, type DeepReadonly, type KubeClient } from '@kite/client';
import { EndpointSliceResource, PodResource, SERVICE_NAME_LABEL, type EndpointSlice, type Pod } from '@kite/api-types';

/** Pause before retrying a failed write (conflict, apiserver hiccup). */
const RETRY_MS = 20;

export interface SliceMirrorOptions {
  client: KubeClient;
  namespace: string;
  service: string;
  /** Label selector of the Service, e.g. `app=hello-http`. */
  selector: string;
  portName: string;
  targetPort: number;
}

function endpointsOf(pods: readonly DeepReadonly<Pod>[]): EndpointSlice['endpoints'] {
  return pods
    .filter((p) => p.status?.podIP && p.status.phase !== 'Succeeded' && p.status.phase !== 'Failed')
    .map((p) => {
      const terminating = p.metadata.deletionTimestamp !== undefined;
      const ready = !terminating && (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
      return { addresses: [p.status?.podIP ?? ''], conditions: { ready, serving: ready, terminating }, targetRef: { kind: 'Pod', namespace: p.metadata.namespace, name: p.metadata.name } };
    })
    .sort((a, b) => (a.addresses[0] ?? '').localeCompare(b.addresses[0] ?? ''));
}

export class SliceMirror {
  private readonly pods: Informer<Pod>;
  private writing: Promise<void> = Promise.resolve();
  private pending = false;

  constructor(private readonly opts: SliceMirrorOptions) {
    this.pods = new Informer({ client: opts.client.resource(PodResource), namespace: opts.namespace, labelSelector: opts.selector });
    const sync = () => this.schedule();
    this.pods.on('add', sync).on('update', sync).on('delete', sync);
  }

  async start(): Promise<void> {
    await this.pods.start();
    this.schedule();
  }

  async stop(): Promise<void> {
    await this.pods.stop();
    await this.writing;
  }

  private schedule(): void {
    if (this.pending) return;
    this.pending = true;
    this.writing = this.writing.then(async () => {
      this.pending = false;
      await this.write().catch(async () => {
        await new Promise((r) => setTimeout(r, RETRY_MS));
        this.schedule();
      });
    });
  }

  private async write(): Promise<void> {
    const { client, namespace, service, portName, targetPort } = this.opts;
    const slices = client.resource(EndpointSliceResource);
    const name = `${service}-mirror`;
    const desired: EndpointSlice = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name, namespace, labels: { [SERVICE_NAME_LABEL]: service } },
      addressType: 'IPv4',
      endpoints: endpointsOf(this.pods.store.list()),
      ports: [{ name: portName, port: targetPort, protocol: 'TCP' }],
    };
    try {
      const current = await slices.get(name, { namespace });
      await slices.update({ ...desired, metadata: { ...desired.metadata, resourceVersion: current.metadata.resourceVersion } }, { namespace });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await slices.create(desired, { namespace });
    }
  }
}
