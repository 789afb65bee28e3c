// SelfSubjectReview (`kubectl auth whoami`), SelfSubjectRulesReview (`kubectl auth can-i --list`)
// and TokenReview (is this token valid, and whose is it).
import { invalid } from '@kite/apimachinery';
import type { KubeObject } from '@kite/api-types';
import type { ReviewHandler } from './types.js';

function userInfoJson(u: { username: string; uid?: string; groups: string[]; extra?: Record<string, string[]> }) {
  return { username: u.username, ...(u.uid ? { uid: u.uid } : {}), groups: u.groups, ...(u.extra ? { extra: u.extra } : {}) };
}

export const selfSubjectReview: ReviewHandler = async (req) => {
  return { apiVersion: req.body.apiVersion, kind: 'SelfSubjectReview', metadata: { creationTimestamp: null }, status: { userInfo: userInfoJson(req.user) } } as KubeObject;
};

export const selfSubjectRulesReview: ReviewHandler = async (req, deps) => {
  const spec = (req.body.spec ?? {}) as { namespace?: string };
  const rules = deps.rulesFor(req.user, spec.namespace ?? '');
  return { apiVersion: req.body.apiVersion, kind: 'SelfSubjectRulesReview', metadata: { creationTimestamp: null }, spec, status: rules } as KubeObject;
};

export const tokenReview: ReviewHandler = async (req, deps) => {
  const spec = (req.body.spec ?? {}) as { token?: string; audiences?: string[] };
  if (!spec.token) throw invalid({ group: 'authentication.k8s.io', kind: 'TokenReview' }, '', [{ reason: 'FieldValueRequired', field: 'spec.token', message: 'Required value' }]);
  const result = await deps.authenticator.authenticate({ headers: { authorization: `Bearer ${spec.token}` }, socket: {} });
  const audiences = spec.audiences && spec.audiences.length > 0 ? spec.audiences : deps.apiAudiences;
  const status =
    result.kind === 'user'
      ? { authenticated: true, user: userInfoJson(result.user), audiences }
      : { authenticated: false, ...(result.kind === 'error' ? { error: result.message } : {}), user: {} };
  return { apiVersion: req.body.apiVersion, kind: 'TokenReview', metadata: { creationTimestamp: null }, spec, status } as KubeObject;
};
