// ServiceCatalog: this process's view of Services and EndpointSlices (BRIEF §3: list, then watch,
// with indexed caches), shared by the proxy and the DNS server.
//
// Contract:
// - `start()` resolves once both caches have synced; `stop()` ends both watches.
// - Listeners registered with `onChange` receive the key (`namespace/name`) of every Service whose
//   definition or endpoints changed — a slice names its Service with the label
//   kubernetes.io/service-name, and a slice that moves between Services reports both. The key may
//   name a Service that no longer exists: listeners re-read the caches (level-triggered).
// - Readers get cached objects (DeepReadonly): never mutate them.
import { EndpointSliceResource, SERVICE_NAME_LABEL, ServiceResource, type EndpointSlice, type Service } from '@kite/api-types';
import { Informer, objectKey, type DeepReadonly, type InformerPhase, type KubeClient } from '@kite/client';

/** Index of slices by the `namespace/name` of the Service they belong to. */
const SLICES_BY_SERVICE = 'by-service';

type Slice = DeepReadonly<EndpointSlice>;
export type ChangeListener = (serviceKey: string) => void;

export interface CatalogOptions {
  client: KubeClient;
  onError?: (err: unknown, phase: InformerPhase) => void;
}

/** `namespace/service` a slice belongs to, or undefined for a slice without the label. */
export function sliceServiceKey(slice: Slice): string | undefined {
  const name = slice.metadata.labels?.[SERVICE_NAME_LABEL];
  return name ? `${slice.metadata.namespace ?? ''}/${name}` : undefined;
}

/** What the proxier and the DNS server read: the catalog's interface, which a fake can implement. */
export interface CatalogView {
  onChange(fn: ChangeListener): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  hasSynced(): boolean;
  service(key: string): DeepReadonly<Service> | undefined;
  serviceKeys(): string[];
  slicesOf(serviceKey: string): Slice[];
}

export class ServiceCatalog implements CatalogView {
  private readonly services: Informer<Service>;
  private readonly slices: Informer<EndpointSlice>;
  private readonly listeners: ChangeListener[] = [];

  constructor(opts: CatalogOptions) {
    const { client, onError } = opts;
    this.services = new Informer({ client: client.resource(ServiceResource), onError });
    this.slices = new Informer({ client: client.resource(EndpointSliceResource), labelSelector: SERVICE_NAME_LABEL, onError });
    this.slices.store.addIndexer(SLICES_BY_SERVICE, (s) => {
      const key = sliceServiceKey(s);
      return key ? [key] : [];
    });
    const svc = (s: DeepReadonly<Service>) => this.emit(objectKey(s));
    this.services.on('add', svc).on('update', (_o, s) => svc(s)).on('delete', svc);
    const slice = (s: Slice) => {
      const key = sliceServiceKey(s);
      if (key) this.emit(key);
    };
    this.slices
      .on('add', slice)
      .on('update', (o, s) => {
        if (sliceServiceKey(o) !== sliceServiceKey(s)) slice(o);
        slice(s);
      })
      .on('delete', slice);
  }

  onChange(fn: ChangeListener): void {
    this.listeners.push(fn);
  }

  async start(): Promise<void> {
    await Promise.all([this.services.start(), this.slices.start()]);
  }

  async stop(): Promise<void> {
    await Promise.all([this.services.stop(), this.slices.stop()]);
  }

  hasSynced(): boolean {
    return this.services.hasSynced() && this.slices.hasSynced();
  }

  service(key: string): DeepReadonly<Service> | undefined {
    return this.services.store.get(key);
  }

  serviceKeys(): string[] {
    return this.services.store.keys();
  }

  slicesOf(serviceKey: string): Slice[] {
    return this.slices.store.byIndex(SLICES_BY_SERVICE, serviceKey);
  }

  private emit(key: string): void {
    for (const fn of this.listeners) fn(key);
  }
}
