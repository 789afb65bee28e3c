// The rules a user holds in a namespace, as SelfSubjectRulesReview reports them (`kubectl auth
// can-i --list`): RBAC's rules plus the privileged group's everything, flagged incomplete when a
// binding names a missing role.
import type { PolicyRule } from '@kite/api-types';
import type { SubjectRules } from '../../registry/reviews/types.js';
import { GROUP_MASTERS, type UserInfo } from '../types.js';
import type { RbacSource } from './memory-source.js';
import { collectRules } from './rule-resolver.js';

const EVERYTHING: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

export function rulesFor(source: RbacSource, user: UserInfo, namespace: string): SubjectRules {
  const { rules, errors } = collectRules(source, user, namespace);
  const all = user.groups.includes(GROUP_MASTERS) ? [...EVERYTHING, ...rules] : rules;
  const out: SubjectRules = { resourceRules: [], nonResourceRules: [], incomplete: errors.length > 0 };
  for (const r of all) {
    if ((r.nonResourceURLs?.length ?? 0) > 0) out.nonResourceRules.push({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs ?? [] });
    else out.resourceRules.push({ verbs: r.verbs, apiGroups: r.apiGroups ?? [], resources: r.resources ?? [], ...(r.resourceNames?.length ? { resourceNames: r.resourceNames } : {}) });
  }
  if (errors.length > 0) out.evaluationError = errors.join(', ');
  return out;
}
