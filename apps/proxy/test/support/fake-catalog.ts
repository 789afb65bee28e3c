// An in-memory CatalogView: tests set Services and slices directly, and listeners hear about it a
// microtask later, as they would from informers.
import type { EndpointSlice, Service } from '@kite/api-types';
import { objectKey, type DeepReadonly } from '@kite/client';
import { sliceServiceKey, type CatalogView, type ChangeListener } from '../../src/catalog/catalog.js';

export class FakeCatalog implements CatalogView {
  private readonly services = new Map<string, Service>();
  private readonly slices = new Map<string, EndpointSlice>();
  private readonly listeners: ChangeListener[] = [];

  onChange(fn: ChangeListener): void {
    this.listeners.push(fn);
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  hasSynced(): boolean {
    return true;
  }
  service(key: string): DeepReadonly<Service> | undefined {
    return this.services.get(key);
  }
  serviceKeys(): string[] {
    return [...this.services.keys()];
  }
  slicesOf(serviceKey: string): DeepReadonly<EndpointSlice>[] {
    return [...this.slices.values()].filter((s) => sliceServiceKey(s) === serviceKey);
  }

  setService(svc: Service): void {
    this.services.set(objectKey(svc), svc);
    this.emit(objectKey(svc));
  }
  deleteService(key: string): void {
    this.services.delete(key);
    this.emit(key);
  }
  setSlice(s: EndpointSlice): void {
    this.slices.set(objectKey(s), s);
    const key = sliceServiceKey(s);
    if (key) this.emit(key);
  }

  private emit(key: string): void {
    queueMicrotask(() => {
      for (const fn of this.listeners) fn(key);
    });
  }
}
