// core/v1 Event: a report of something that happened to an object (pulled an image, failed a
// probe, scheduled a pod). `kubectl describe` lists them by involvedObject field selectors.
import { Type, type Static } from '@sinclair/typebox';
import { defineResource } from '../define.js';
import { ObjectMeta, type StatusCause } from '../meta/v1.js';
import { OptInt, OptString, StringEnum } from '../schema.js';
import { invalid } from '../validation/causes.js';
import { validateNonNegative } from '../validation/fields.js';
import { ObjectReference } from './reference.js';

export const EVENT_TYPES = ['Normal', 'Warning'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const EventSource = Type.Object({ component: OptString('Component that reported the event.'), host: OptString('Node the event came from.') });
export type EventSource = Static<typeof EventSource>;

export const EventSeries = Type.Object({ count: OptInt(), lastObservedTime: OptString() });

export const Event = Type.Object(
  {
    apiVersion: Type.Literal('v1'),
    kind: Type.Literal('Event'),
    metadata: ObjectMeta,
    involvedObject: ObjectReference,
    reason: OptString('Short CamelCase reason, e.g. Scheduled, Pulled, BackOff.'),
    message: OptString('Human-readable description.'),
    source: Type.Optional(EventSource),
    firstTimestamp: OptString(),
    lastTimestamp: OptString(),
    count: OptInt('How many times the event occurred.'),
    type: Type.Optional(StringEnum(EVENT_TYPES, { description: 'Normal or Warning.' })),
    eventTime: OptString('Time of first occurrence, with microseconds.'),
    series: Type.Optional(EventSeries),
    action: OptString('What was done, or failed, about the object.'),
    related: Type.Optional(ObjectReference),
    reportingComponent: OptString('Controller that emitted the event, e.g. kubernetes.io/kubelet.'),
    reportingInstance: OptString('Instance of the controller, e.g. the kubelet node name.'),
  },
  { description: 'A report of an event somewhere in the cluster.' },
);
export type Event = Static<typeof Event>;

function validateEvent(ev: Event): StatusCause[] {
  const out = validateNonNegative(ev.count, 'count');
  const ns = ev.metadata.namespace;
  const objNs = ev.involvedObject.namespace;
  // An event lives in its object's namespace; events about cluster-scoped objects go to default.
  if (ns && objNs && ns !== objNs) out.push(invalid('involvedObject.namespace', objNs, 'does not match event.namespace'));
  if (ns && !objNs && ns !== 'default') out.push(invalid('involvedObject.namespace', '', 'does not match event.namespace'));
  return out;
}

export const EventResource = defineResource<Event>({
  group: '',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  shortNames: ['ev'],
  namespaced: true,
  schema: Event,
  validate: validateEvent,
  fieldSelectors: {
    'involvedObject.kind': (e) => e.involvedObject.kind ?? '',
    'involvedObject.namespace': (e) => e.involvedObject.namespace ?? '',
    'involvedObject.name': (e) => e.involvedObject.name ?? '',
    'involvedObject.uid': (e) => e.involvedObject.uid ?? '',
    'involvedObject.apiVersion': (e) => e.involvedObject.apiVersion ?? '',
    'involvedObject.resourceVersion': (e) => e.involvedObject.resourceVersion ?? '',
    'involvedObject.fieldPath': (e) => e.involvedObject.fieldPath ?? '',
    reason: (e) => e.reason ?? '',
    reportingComponent: (e) => e.reportingComponent ?? '',
    source: (e) => e.source?.component ?? '',
    type: (e) => e.type ?? '',
  },
});
