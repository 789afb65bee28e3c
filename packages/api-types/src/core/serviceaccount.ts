// core/v1 ServiceAccount: an identity for processes in pods. Tokens are minted on demand through
// the TokenRequest subresource (serviceaccounts/NAME/token), bound to a pod and short-lived.
import { Type, type Static } from '@sinclair/typebox';
import { defineResource } from '../define.js';
import { ObjectMeta } from '../meta/v1.js';
import { OptBool } from '../schema.js';
import { LocalObjectReference, ObjectReference } from './reference.js';

export const ServiceAccount = Type.Object(
  {
    apiVersion: Type.Literal('v1'),
    kind: Type.Literal('ServiceAccount'),
    metadata: ObjectMeta,
    secrets: Type.Optional(Type.Array(ObjectReference, { description: 'Secrets pods of this account may use.' })),
    imagePullSecrets: Type.Optional(Type.Array(LocalObjectReference)),
    automountServiceAccountToken: OptBool('Whether pods get a token mounted unless they say otherwise.'),
  },
  { description: 'An identity for processes that run in a pod.' },
);
export type ServiceAccount = Static<typeof ServiceAccount>;

export const ServiceAccountResource = defineResource<ServiceAccount>({
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  plural: 'serviceaccounts',
  shortNames: ['sa'],
  namespaced: true,
  schema: ServiceAccount,
});
