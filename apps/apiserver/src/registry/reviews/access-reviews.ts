// SubjectAccessReview, LocalSubjectAccessReview and SelfSubjectAccessReview: "may this user do
// this?" answered by the same authorizer chain the request path uses, so `kubectl auth can-i`
// (a SelfSubjectAccessReview) says exactly what a real request would meet.
import { badRequest, invalid } from '@kite/apimachinery';
import type { KubeObject } from '@kite/api-types';
import type { Attributes, UserInfo } from '../../auth/types.js';
import type { ReviewDeps, ReviewHandler, ReviewRequest } from './types.js';

interface AccessSpec {
  resourceAttributes?: { namespace?: string; verb?: string; group?: string; version?: string; resource?: string; subresource?: string; name?: string };
  nonResourceAttributes?: { path?: string; verb?: string };
  user?: string;
  groups?: string[];
  uid?: string;
  extra?: Record<string, string[]>;
}

function specOf(req: ReviewRequest): AccessSpec {
  const spec = req.body.spec;
  if (typeof spec !== 'object' || spec === null) throw invalid({ group: 'authorization.k8s.io', kind: String(req.body.kind) }, '', [{ reason: 'FieldValueRequired', field: 'spec', message: 'Required value' }]);
  const s = spec as AccessSpec;
  if (!!s.resourceAttributes === !!s.nonResourceAttributes) {
    throw invalid({ group: 'authorization.k8s.io', kind: String(req.body.kind) }, '', [{ reason: 'FieldValueRequired', field: 'spec.resourceAttributes', message: 'Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified' }]);
  }
  return s;
}

function attributesOf(spec: AccessSpec, user: UserInfo): Attributes {
  if (spec.nonResourceAttributes) {
    return { resourceRequest: false, user, verb: spec.nonResourceAttributes.verb ?? '', path: spec.nonResourceAttributes.path ?? '' };
  }
  const r = spec.resourceAttributes ?? {};
  return { resourceRequest: true, user, verb: r.verb ?? '', apiGroup: r.group ?? '', apiVersion: r.version ?? '', resource: r.resource ?? '', subresource: r.subresource ?? '', namespace: r.namespace ?? '', name: r.name ?? '' };
}

async function answer(req: ReviewRequest, deps: ReviewDeps, spec: AccessSpec, user: UserInfo): Promise<KubeObject> {
  const d = await deps.authorizer.authorize(attributesOf(spec, user));
  const status: Record<string, unknown> = { allowed: d.decision === 'allow' };
  if (d.decision === 'deny') status.denied = true;
  if (d.reason) status.reason = d.reason;
  const { status: _ignored, ...rest } = req.body;
  return { ...rest, metadata: { ...(req.body.metadata ?? {}), creationTimestamp: null }, spec, status } as KubeObject;
}

/** SubjectAccessReview: about any user named in the spec. */
export const subjectAccessReview: ReviewHandler = async (req, deps) => {
  const spec = specOf(req);
  if (!spec.user && (!spec.groups || spec.groups.length === 0)) {
    throw invalid({ group: 'authorization.k8s.io', kind: 'SubjectAccessReview' }, '', [{ reason: 'FieldValueRequired', field: 'spec.user', message: 'Invalid value: "": at least one of user or group must be specified' }]);
  }
  return answer(req, deps, spec, { username: spec.user ?? '', groups: spec.groups ?? [], ...(spec.uid ? { uid: spec.uid } : {}), ...(spec.extra ? { extra: spec.extra } : {}) });
};

/** LocalSubjectAccessReview: the same, confined to the path's namespace. */
export const localSubjectAccessReview: ReviewHandler = async (req, deps) => {
  const spec = specOf(req);
  const ns = spec.resourceAttributes?.namespace ?? '';
  if (spec.nonResourceAttributes) throw badRequest('disallowed on this kind of request: nonResourceAttributes');
  if (ns !== req.namespace) {
    throw invalid({ group: 'authorization.k8s.io', kind: 'LocalSubjectAccessReview' }, '', [{ reason: 'FieldValueInvalid', field: 'spec.resourceAttributes.namespace', message: `Invalid value: "${ns}": must match metadata.namespace` }]);
  }
  return answer(req, deps, spec, { username: spec.user ?? '', groups: spec.groups ?? [], ...(spec.uid ? { uid: spec.uid } : {}), ...(spec.extra ? { extra: spec.extra } : {}) });
};

/** SelfSubjectAccessReview: about the requesting user (`kubectl auth can-i`). */
export const selfSubjectAccessReview: ReviewHandler = async (req, deps) => answer(req, deps, specOf(req), req.user);
