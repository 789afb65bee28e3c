// RBAC's escalation prevention (pkg/registry/rbac/{role,clusterrole,rolebinding,clusterrolebinding}/policybased):
// writing a Role or ClusterRole, or binding one, is allowed only to a user who already holds every
// permission it grants, unless the user may `escalate` (roles) or `bind` (bindings) that role, or
// is a member of system:masters. Kubernetes does this in the RBAC storage; here it is the last
// validating step, where the requesting user and the decoded object are both at hand.
import { RBAC_GROUP, type ClusterRole, type KubeObject, type PolicyRule, type RoleBinding } from '@kite/api-types';
import { forbidden, notFound } from '@kite/apimachinery';
import type { RbacSource } from '../auth/rbac/memory-source.js';
import { formatRule, uncoveredRules } from '../auth/rbac/escalation.js';
import { collectRules, rulesOfRoleRef } from '../auth/rbac/rule-resolver.js';
import { GROUP_MASTERS, type Authorizer, type UserInfo } from '../auth/types.js';
import { groupResource, objectName } from './attributes.js';
import type { AdmissionAttributes, ValidatingPlugin } from './interface.js';

export const RBAC_ESCALATION = 'RBACEscalation';

const ROLE_KINDS = new Set(['Role', 'ClusterRole']);
const BINDING_KINDS = new Set(['RoleBinding', 'ClusterRoleBinding']);
const FULL_AUTHORITY: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

export class RbacEscalationPlugin implements ValidatingPlugin {
  readonly name = RBAC_ESCALATION;

  constructor(
    private readonly source: RbacSource,
    private readonly authorizer: Authorizer,
  ) {}

  handles(attrs: AdmissionAttributes): boolean {
    return attrs.rt.group === RBAC_GROUP && attrs.subresource === '' && (attrs.operation === 'CREATE' || attrs.operation === 'UPDATE') && (ROLE_KINDS.has(attrs.rt.kind) || BINDING_KINDS.has(attrs.rt.kind));
  }

  async validate(attrs: AdmissionAttributes, obj: KubeObject, old: KubeObject | undefined): Promise<void> {
    if (attrs.user.groups.includes(GROUP_MASTERS)) return;
    if (ROLE_KINDS.has(attrs.rt.kind)) await this.validateRole(attrs, obj as ClusterRole, old as ClusterRole | undefined);
    else await this.validateBinding(attrs, obj as RoleBinding);
  }

  private async may(attrs: AdmissionAttributes, verb: string, resource: string, name: string): Promise<boolean> {
    const d = await this.authorizer.authorize({ resourceRequest: true, user: attrs.user, verb, apiGroup: RBAC_GROUP, apiVersion: 'v1', resource, subresource: '', namespace: attrs.namespace, name });
    return d.decision === 'allow';
  }

  private async validateRole(attrs: AdmissionAttributes, role: ClusterRole, old: ClusterRole | undefined): Promise<void> {
    const name = objectName(attrs, role);
    // An update that leaves the rules alone (labels, annotations) grants nothing new.
    if (old && JSON.stringify(old.rules ?? []) === JSON.stringify(role.rules ?? []) && JSON.stringify(old.aggregationRule) === JSON.stringify(role.aggregationRule)) return;
    if (await this.may(attrs, 'escalate', attrs.rt.plural, name)) return;
    this.confirmNoEscalation(attrs, name, role.rules ?? []);
    // An aggregation rule can gather any permission: it takes every permission to set one.
    if (role.aggregationRule && uncoveredRules(this.ownerRules(attrs.user, attrs.namespace).rules, FULL_AUTHORITY).length > 0) {
      throw forbidden(groupResource(attrs), name, 'must have cluster-admin privileges to use the aggregationRule');
    }
  }

  private async validateBinding(attrs: AdmissionAttributes, binding: RoleBinding): Promise<void> {
    const ref = binding.roleRef;
    const refResource = ref.kind === 'ClusterRole' ? 'clusterroles' : 'roles';
    if (await this.may(attrs, 'bind', refResource, ref.name)) return;
    const rules = rulesOfRoleRef(this.source, ref, attrs.namespace);
    if (!rules) throw notFound({ group: RBAC_GROUP, plural: ref.kind === 'ClusterRole' ? 'clusterrole' : 'role' }, ref.name);
    this.confirmNoEscalation(attrs, objectName(attrs, binding), rules);
  }

  private ownerRules(user: UserInfo, namespace: string) {
    return collectRules(this.source, user, namespace);
  }

  /** ConfirmNoEscalation: every requested permission must be one the user holds in that scope. */
  private confirmNoEscalation(attrs: AdmissionAttributes, name: string, requested: readonly PolicyRule[]): void {
    const owner = this.ownerRules(attrs.user, attrs.namespace);
    const missing = uncoveredRules(owner.rules, requested);
    if (missing.length === 0) return;
    const groups = `[${attrs.user.groups.map((g) => JSON.stringify(g)).join(' ')}]`;
    let msg = `user ${JSON.stringify(attrs.user.username)} (groups=${groups}) is attempting to grant RBAC permissions not currently held:\n${missing.map(formatRule).join('\n')}`;
    if (owner.errors.length > 0) msg += `; resolution errors: [${owner.errors.join(' ')}]`;
    throw forbidden(groupResource(attrs), name, msg);
  }
}
