// The scheduler's hot-path writes on top of KeepAliveWriter: the binding (a core/v1 Binding POSTed
// to pods/NAME/binding, as KubeClient.bindPod sends it) and an EventClient for the EventRecorder.
// Paths come from the client's resourcePath, so they match the typed client's exactly.
import { EventResource, PodResource, type Binding, type Event } from '@kite/api-types';
import { PATCH_CONTENT_TYPES, resourcePath, type EventClient, type PatchOptions, type WriteOptions } from '@kite/client';
import type { BindFn } from '../binder.js';
import type { KeepAliveWriter } from './keepalive-writer.js';

export function bindVia(writer: KeepAliveWriter): BindFn {
  return async (namespace, name, nodeName) => {
    const binding: Binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace }, target: { apiVersion: 'v1', kind: 'Node', name: nodeName } };
    await writer.post(resourcePath(PodResource, { namespace, name, subresource: 'binding' }), binding);
  };
}

export function eventClientVia(writer: KeepAliveWriter): EventClient {
  return {
    create: async (ev: Event, _opts?: WriteOptions) => (await writer.post(resourcePath(EventResource, { namespace: ev.metadata.namespace }), ev)) as Event,
    patch: async (name: string, body: unknown, opts: PatchOptions) =>
      (await writer.patch(resourcePath(EventResource, { namespace: opts.namespace, name }), body, PATCH_CONTENT_TYPES[opts.type])) as Event,
  };
}
