// rbac.authorization.k8s.io/v1: Role and ClusterRole (rules), RoleBinding and ClusterRoleBinding
// (subjects to a roleRef). Validation follows pkg/apis/rbac/validation: rules need verbs, resource
// rules need apiGroups, non-resource URLs only in ClusterRoles, a binding's roleRef is immutable.
import { Type, type Static } from '@sinclair/typebox';
import { defineResource } from '../define.js';
import { LabelSelector, ObjectMeta, type StatusCause } from '../meta/v1.js';
import { AtomicList } from '../schema.js';
import { invalid, notSupported, required } from '../validation/causes.js';
import { deepEqual } from '../util/equal.js';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
const RBAC_API_VERSION = 'rbac.authorization.k8s.io/v1';

export const PolicyRule = Type.Object(
  {
    verbs: Type.Array(Type.String(), { description: "Verbs this rule allows; '*' for all." }),
    apiGroups: Type.Optional(Type.Array(Type.String(), { description: "API groups; '' is the core group, '*' all." })),
    resources: Type.Optional(Type.Array(Type.String(), { description: "Resources ('pods', 'pods/log', '*', '*/scale')." })),
    resourceNames: Type.Optional(Type.Array(Type.String(), { description: 'Object names; empty means all.' })),
    nonResourceURLs: Type.Optional(Type.Array(Type.String(), { description: "Non-resource paths ('/healthz', '/api/*'); ClusterRoles only." })),
  },
  { description: 'What a role allows on a set of resources or non-resource URLs.' },
);
export type PolicyRule = Static<typeof PolicyRule>;

export const AggregationRule = Type.Object(
  { clusterRoleSelectors: Type.Optional(Type.Array(LabelSelector, { description: 'ClusterRoles whose rules are aggregated into this one.' })) },
  { description: 'How a ClusterRole is assembled from others.' },
);
export type AggregationRule = Static<typeof AggregationRule>;

export const RoleRef = Type.Object(
  {
    apiGroup: Type.String({ description: 'rbac.authorization.k8s.io' }),
    kind: Type.String({ description: 'Role or ClusterRole.' }),
    name: Type.String(),
  },
  { description: 'The role a binding grants.' },
);
export type RoleRef = Static<typeof RoleRef>;

export const Subject = Type.Object(
  {
    kind: Type.String({ description: 'User, Group or ServiceAccount.' }),
    apiGroup: Type.Optional(Type.String()),
    name: Type.String(),
    namespace: Type.Optional(Type.String({ description: 'For ServiceAccounts.' })),
  },
  { description: 'A user, group or ServiceAccount a binding applies to.' },
);
export type Subject = Static<typeof Subject>;

const rules = Type.Optional(AtomicList(PolicyRule, 'The rules this role grants.'));

export const Role = Type.Object(
  { apiVersion: Type.Literal(RBAC_API_VERSION), kind: Type.Literal('Role'), metadata: ObjectMeta, rules },
  { description: 'A namespaced set of permissions.' },
);
export type Role = Static<typeof Role>;

export const ClusterRole = Type.Object(
  { apiVersion: Type.Literal(RBAC_API_VERSION), kind: Type.Literal('ClusterRole'), metadata: ObjectMeta, rules, aggregationRule: Type.Optional(AggregationRule) },
  { description: 'A cluster-wide set of permissions, usable in any namespace or across all.' },
);
export type ClusterRole = Static<typeof ClusterRole>;

const subjects = Type.Optional(AtomicList(Subject, 'Who the binding applies to.'));

export const RoleBinding = Type.Object(
  { apiVersion: Type.Literal(RBAC_API_VERSION), kind: Type.Literal('RoleBinding'), metadata: ObjectMeta, subjects, roleRef: RoleRef },
  { description: 'Grants a Role or ClusterRole within one namespace.' },
);
export type RoleBinding = Static<typeof RoleBinding>;

export const ClusterRoleBinding = Type.Object(
  { apiVersion: Type.Literal(RBAC_API_VERSION), kind: Type.Literal('ClusterRoleBinding'), metadata: ObjectMeta, subjects, roleRef: RoleRef },
  { description: 'Grants a ClusterRole across the cluster.' },
);
export type ClusterRoleBinding = Static<typeof ClusterRoleBinding>;

function validateRules(list: PolicyRule[] | undefined, clusterScoped: boolean): StatusCause[] {
  const out: StatusCause[] = [];
  (list ?? []).forEach((r, i) => {
    const f = `rules[${i}]`;
    if (!r.verbs || r.verbs.length === 0) out.push(required(`${f}.verbs`, 'Required value: verbs must contain at least one value'));
    const hasResources = (r.resources?.length ?? 0) > 0;
    const hasUrls = (r.nonResourceURLs?.length ?? 0) > 0;
    if (hasUrls) {
      if (!clusterScoped) out.push(invalid(`${f}.nonResourceURLs`, r.nonResourceURLs, 'namespaced rules cannot apply to non-resource URLs'));
      if (hasResources || (r.apiGroups?.length ?? 0) > 0 || (r.resourceNames?.length ?? 0) > 0) {
        out.push(invalid(`${f}.nonResourceURLs`, r.nonResourceURLs, 'rules cannot apply to both regular resources and non-resource URLs'));
      }
      return;
    }
    if (!r.apiGroups || r.apiGroups.length === 0) out.push(required(`${f}.apiGroups`, 'Required value: resource rules must supply at least one api group'));
    if (!hasResources) out.push(required(`${f}.resources`, 'Required value: resource rules must supply at least one resource'));
  });
  return out;
}

const SUBJECT_KINDS = ['User', 'Group', 'ServiceAccount'] as const;

function validateBinding(b: RoleBinding | ClusterRoleBinding, old: RoleBinding | ClusterRoleBinding | undefined, clusterScoped: boolean): StatusCause[] {
  const out: StatusCause[] = [];
  const ref = b.roleRef;
  if (ref.apiGroup !== RBAC_GROUP) out.push(notSupported('roleRef.apiGroup', ref.apiGroup, [RBAC_GROUP]));
  const kinds = clusterScoped ? ['ClusterRole'] : ['Role', 'ClusterRole'];
  if (!kinds.includes(ref.kind)) out.push(notSupported('roleRef.kind', ref.kind, kinds));
  if (!ref.name) out.push(required('roleRef.name'));
  if (old && !deepEqual(old.roleRef, ref)) out.push(invalid('roleRef', ref, 'cannot change roleRef'));
  (b.subjects ?? []).forEach((s, i) => {
    const f = `subjects[${i}]`;
    if (!(SUBJECT_KINDS as readonly string[]).includes(s.kind)) out.push(notSupported(`${f}.kind`, s.kind, SUBJECT_KINDS));
    if (!s.name) out.push(required(`${f}.name`));
    if (s.kind === 'ServiceAccount') {
      if ((s.apiGroup ?? '') !== '') out.push(notSupported(`${f}.apiGroup`, s.apiGroup, ['']));
      if (clusterScoped && !s.namespace) out.push(required(`${f}.namespace`));
    } else if ((s.kind === 'User' || s.kind === 'Group') && s.apiGroup !== RBAC_GROUP) {
      out.push(notSupported(`${f}.apiGroup`, s.apiGroup ?? '', [RBAC_GROUP]));
    }
  });
  return out;
}

/** kubectl's defaulting for subjects: User and Group live in the RBAC group. */
function defaultSubjects(b: RoleBinding | ClusterRoleBinding): void {
  for (const s of b.subjects ?? []) {
    if (s.apiGroup === undefined && (s.kind === 'User' || s.kind === 'Group')) s.apiGroup = RBAC_GROUP;
    if (s.apiGroup === undefined && s.kind === 'ServiceAccount') s.apiGroup = '';
  }
}

export const RoleResource = defineResource<Role>({
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'Role',
  plural: 'roles',
  namespaced: true,
  nameFormat: 'path-segment',
  schema: Role,
  validate: (r) => validateRules(r.rules, false),
});

export const ClusterRoleResource = defineResource<ClusterRole>({
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'ClusterRole',
  plural: 'clusterroles',
  namespaced: false,
  nameFormat: 'path-segment',
  schema: ClusterRole,
  validate: (r) => validateRules(r.rules, true),
});

export const RoleBindingResource = defineResource<RoleBinding>({
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'RoleBinding',
  plural: 'rolebindings',
  namespaced: true,
  nameFormat: 'path-segment',
  schema: RoleBinding,
  defaults: defaultSubjects,
  validate: (b, old) => validateBinding(b, old, false),
});

export const ClusterRoleBindingResource = defineResource<ClusterRoleBinding>({
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'ClusterRoleBinding',
  plural: 'clusterrolebindings',
  namespaced: false,
  nameFormat: 'path-segment',
  schema: ClusterRoleBinding,
  defaults: defaultSubjects,
  validate: (b, old) => validateBinding(b, old, true),
});
