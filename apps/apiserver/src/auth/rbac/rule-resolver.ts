// Walks the rules that apply to a user in a namespace (DefaultRuleResolver.VisitRulesFor):
// every ClusterRoleBinding naming the user, then, for a namespaced request, every RoleBinding in
// that namespace. A binding whose role is missing yields an error, not rules, so a request it
// would have allowed is refused with the reason, and rule listings say they are incomplete.
import type { ClusterRoleBinding, PolicyRule, RoleBinding, RoleRef } from '@kite/api-types';
import type { UserInfo } from '../types.js';
import type { RbacSource } from './memory-source.js';
import { appliesTo, describeSubject } from './subjects.js';

export interface RuleSource {
  /** `ClusterRoleBinding "x" of ClusterRole "y" to User "z"`, as Kubernetes' allow reasons read. */
  describe(): string;
}

/** Return false to stop the walk. */
export type RuleVisitor = (from: RuleSource | undefined, rule: PolicyRule | undefined, err: string | undefined) => boolean;

export function roleNotFound(ref: RoleRef): string {
  return ref.kind === 'ClusterRole'
    ? `clusterrole.rbac.authorization.k8s.io "${ref.name}" not found`
    : `role.rbac.authorization.k8s.io "${ref.name}" not found`;
}

/** The rules a roleRef names, or undefined when the role does not exist. */
export function rulesOfRoleRef(source: RbacSource, ref: RoleRef, namespace: string): PolicyRule[] | undefined {
  if (ref.kind === 'ClusterRole') return source.clusterRole(ref.name)?.rules ?? (source.clusterRole(ref.name) ? [] : undefined);
  if (ref.kind === 'Role') {
    const role = source.role(namespace, ref.name);
    return role ? (role.rules ?? []) : undefined;
  }
  return undefined;
}

function visitBinding(source: RbacSource, user: UserInfo, b: RoleBinding | ClusterRoleBinding, ns: string, visit: RuleVisitor): boolean {
  const subject = (b.subjects ?? []).find((s) => appliesTo(user, s, ns));
  if (!subject) return true;
  const rules = rulesOfRoleRef(source, b.roleRef, ns);
  if (!rules) return visit(undefined, undefined, roleNotFound(b.roleRef));
  const from: RuleSource = {
    describe: () =>
      `${b.kind} "${ns ? `${b.metadata.name ?? ''}/${ns}` : (b.metadata.name ?? '')}" of ${b.roleRef.kind} "${b.roleRef.name}" to ${describeSubject(subject, ns)}`,
  };
  for (const rule of rules) if (!visit(from, rule, undefined)) return false;
  return true;
}

export function visitRulesFor(source: RbacSource, user: UserInfo, namespace: string, visit: RuleVisitor): void {
  for (const b of source.clusterRoleBindings()) if (!visitBinding(source, user, b, '', visit)) return;
  if (!namespace) return;
  for (const b of source.roleBindings(namespace)) if (!visitBinding(source, user, b, namespace, visit)) return;
}

/** Every rule that applies, and the errors met on the way. */
export function collectRules(source: RbacSource, user: UserInfo, namespace: string): { rules: PolicyRule[]; errors: string[] } {
  const rules: PolicyRule[] = [];
  const errors: string[] = [];
  visitRulesFor(source, user, namespace, (_from, rule, err) => {
    if (rule) rules.push(rule);
    if (err) errors.push(err);
    return true;
  });
  return { rules, errors };
}
