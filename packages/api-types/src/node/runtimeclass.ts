// node.k8s.io/v1 RuntimeClass: a named runtime a pod selects with spec.runtimeClassName. In kite
// the handlers are 'wasm' and 'docker'; scheduling constraints steer pods to nodes offering it.
import { Type, type Static } from '@sinclair/typebox';
import { defineResource } from '../define.js';
import { ObjectMeta, type StatusCause } from '../meta/v1.js';
import { Toleration } from '../core/taint.js';
import { validateTolerations } from '../core/affinity-validation.js';
import { ResourceList } from '../quantity.js';
import { AtomicList } from '../schema.js';
import { validateDns1123Label, validateImmutable, validateResourceList } from '../validation/fields.js';
import { validateLabels } from '../validation/validate.js';

export const RuntimeClass = Type.Object(
  {
    apiVersion: Type.Literal('node.k8s.io/v1'),
    kind: Type.Literal('RuntimeClass'),
    metadata: ObjectMeta,
    handler: Type.String({ description: "Runtime handler on the node, a DNS label (kite: 'wasm' or 'docker'). Immutable." }),
    overhead: Type.Optional(Type.Object({ podFixed: Type.Optional(ResourceList) }, { description: 'Resources a pod of this class uses on top of its containers.' })),
    scheduling: Type.Optional(
      Type.Object(
        {
          nodeSelector: Type.Optional(Type.Record(Type.String(), Type.String(), { 'x-kubernetes-map-type': 'atomic' })),
          tolerations: Type.Optional(AtomicList(Toleration)),
        },
        { description: 'Merged into pods of this class so they land on nodes offering the runtime.' },
      ),
    ),
  },
  { description: 'A container runtime configuration pods can select.' },
);
export type RuntimeClass = Static<typeof RuntimeClass>;

function validateRuntimeClass(rc: RuntimeClass, old?: RuntimeClass): StatusCause[] {
  const out = [
    ...validateDns1123Label(rc.handler, 'handler'),
    ...validateResourceList(rc.overhead?.podFixed, 'overhead.podFixed'),
    ...validateLabels(rc.scheduling?.nodeSelector, 'scheduling.nodeSelector'),
    ...validateTolerations(rc.scheduling?.tolerations, 'scheduling.tolerations'),
  ];
  if (old) out.push(...validateImmutable(rc.handler, old.handler, 'handler'));
  return out;
}

export const RuntimeClassResource = defineResource<RuntimeClass>({
  group: 'node.k8s.io',
  version: 'v1',
  kind: 'RuntimeClass',
  plural: 'runtimeclasses',
  namespaced: false,
  schema: RuntimeClass,
  validate: validateRuntimeClass,
});
