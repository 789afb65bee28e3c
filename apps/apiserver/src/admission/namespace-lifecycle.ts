// NamespaceLifecycle (k8s.io/apiserver/pkg/admission/plugin/namespace/lifecycle): nothing may be
// created in a namespace that does not exist or is being terminated, nothing may be written into
// one that does not exist, and the namespaces the system needs may not be deleted.
//
// Kubernetes reads namespaces from an informer and falls back to a live lookup; we read them
// through the AdmissionContext, which is the store itself, so there is no stale cache to wait for.
import { NamespaceResource, type CauseType, type KubeObject, type Namespace } from '@kite/api-types';
import { forbidden, notFound } from '@kite/apimachinery';
import { admissionForbidden, isKind } from './attributes.js';
import type { AdmissionAttributes, AdmissionContext, MutatingPlugin } from './interface.js';

export const NAME = 'NamespaceLifecycle';

/** Namespaces that may never be deleted (metav1.NamespaceDefault, NamespaceSystem, NamespacePublic). */
export const IMMORTAL_NAMESPACES: ReadonlySet<string> = new Set(['default', 'kube-system', 'kube-public']);

/** The cause type Kubernetes attaches to a refusal in a terminating namespace (v1.NamespaceTerminatingCause). */
export const NAMESPACE_TERMINATING_CAUSE = 'NamespaceTerminating';

const NAMESPACES = { group: '', plural: 'namespaces' };

/** Access reviews must not reveal whether a namespace exists. */
const isAccessReview = (attrs: AdmissionAttributes): boolean => attrs.rt.group === 'authorization.k8s.io' && attrs.rt.plural === 'localsubjectaccessreviews';

export class NamespaceLifecycle implements MutatingPlugin {
  readonly name = NAME;

  constructor(private readonly ctx: AdmissionContext) {}

  handles(attrs: AdmissionAttributes): boolean {
    return attrs.operation === 'CREATE' || attrs.operation === 'UPDATE' || attrs.operation === 'DELETE';
  }

  async admit(attrs: AdmissionAttributes, obj: KubeObject): Promise<void> {
    const isNamespace = isKind(attrs, '', 'Namespace');
    if (isNamespace) {
      if (attrs.operation === 'DELETE' && IMMORTAL_NAMESPACES.has(attrs.name)) throw forbidden(NAMESPACES, attrs.name, 'this namespace may not be deleted');
      return; // every other operation on namespaces themselves is allowed
    }
    if (attrs.namespace === '' || attrs.operation === 'DELETE' || isAccessReview(attrs)) return;

    const ns = await this.ctx.get<Namespace>(NamespaceResource, '', attrs.namespace);
    if (!ns) throw notFound(NAMESPACES, attrs.namespace);
    if (attrs.operation === 'CREATE' && ns.status?.phase === 'Terminating') throw this.terminating(attrs, obj);
  }

  private terminating(attrs: AdmissionAttributes, obj: KubeObject) {
    const ns = attrs.namespace;
    const err = admissionForbidden(attrs, obj, `unable to create new content in namespace ${ns} because it is being terminated`);
    const details = (err.status.details ??= {});
    // CauseType lists field causes only; Kubernetes uses this one for namespace termination too.
    const reason = NAMESPACE_TERMINATING_CAUSE as CauseType;
    details.causes = [...(details.causes ?? []), { reason, message: `namespace ${ns} is being terminated`, field: 'metadata.namespace' }];
    return err;
  }
}

export const newNamespaceLifecycle = (ctx: AdmissionContext): NamespaceLifecycle => new NamespaceLifecycle(ctx);
