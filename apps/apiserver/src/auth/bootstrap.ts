// Kubernetes' RBAC post-start hook (pkg/registry/rbac/rest/storage_rbac.go): at every start the
// default roles and bindings are created when missing, and those annotated
// `rbac.authorization.kubernetes.io/autoupdate: "true"` are brought back to their defaults (rules
// and aggregation for roles; added subjects for bindings), so an upgrade reaches them while a
// user who set autoupdate to "false" keeps theirs.
import { resourceForKind, type KubeObject } from '@kite/api-types';
import { isApiError } from '@kite/apimachinery';
import type { RestStorage } from '../registry/rest.js';
import { bootstrapPolicy } from './rbac/bootstrap-policy.js';

const AUTOUPDATE = 'rbac.authorization.kubernetes.io/autoupdate';

type Obj = KubeObject & Record<string, unknown>;

/** The fields the defaults own: rules (and aggregation) of roles; roleRef and subjects of bindings. */
function reconciled(current: Obj, wanted: Obj): Obj {
  const next: Obj = structuredClone(current);
  if ('rules' in wanted) next.rules = wanted.rules;
  if ('aggregationRule' in wanted) next.aggregationRule = wanted.aggregationRule;
  if ('subjects' in wanted) {
    const have = (current.subjects as unknown[] | undefined) ?? [];
    const add = ((wanted.subjects as unknown[] | undefined) ?? []).filter((w) => !have.some((h) => JSON.stringify(h) === JSON.stringify(w)));
    next.subjects = [...have, ...add];
  }
  return next;
}

export async function ensureBootstrapPolicy(rest: RestStorage): Promise<void> {
  const policy = bootstrapPolicy();
  const all = [...policy.clusterRoles, ...policy.clusterRoleBindings, ...policy.roles, ...policy.roleBindings] as unknown as Obj[];
  for (const obj of all) {
    const rt = resourceForKind(obj.apiVersion, obj.kind);
    if (!rt) throw new Error(`bootstrap policy names an unknown kind ${obj.apiVersion}/${obj.kind}`);
    const scope = { rt, ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}) };
    try {
      await rest.create(scope, structuredClone(obj));
    } catch (err) {
      if (!isApiError(err) || err.code !== 409) throw err;
      const name = obj.metadata.name ?? '';
      await rest.guaranteedUpdate(scope, name, (current) => {
        if (current.metadata.annotations?.[AUTOUPDATE] === 'false') return current;
        return reconciled(current as Obj, obj);
      });
    }
  }
}
