// core/v1 Namespace: a scope for names. Deleting one marks it Terminating until the namespace
// controller has emptied it and removed the `kubernetes` finalizer from spec.finalizers.
import { Type, type Static } from '@sinclair/typebox';
import { defineResource } from '../define.js';
import { Condition, kindSchema } from '../meta/v1.js';

export const NamespaceSpec = Type.Object({ finalizers: Type.Optional(Type.Array(Type.String())) });
export const NamespaceStatus = Type.Object({
  phase: Type.Optional(Type.Union([Type.Literal('Active'), Type.Literal('Terminating')])),
  conditions: Type.Optional(Type.Array(Condition)),
});
export const Namespace = kindSchema('v1', 'Namespace', NamespaceSpec, NamespaceStatus, 'A scope for the names of namespaced objects.');
export type Namespace = Static<typeof Namespace>;

/** The finalizer the namespace controller removes once a namespace is empty. */
export const NAMESPACE_FINALIZER = 'kubernetes';

export const NamespaceResource = defineResource<Namespace>({
  group: '',
  version: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  shortNames: ['ns'],
  namespaced: false,
  schema: Namespace,
  status: true,
  nameFormat: 'dns-label',
  defaults: (ns) => {
    ns.spec ??= {};
    ns.spec.finalizers ??= [NAMESPACE_FINALIZER];
    ns.status ??= {};
    ns.status.phase ??= 'Active';
  },
  fieldSelectors: { 'status.phase': (ns) => ns.status?.phase },
});
