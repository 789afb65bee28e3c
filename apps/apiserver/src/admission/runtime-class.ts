// RuntimeClass (plugin/pkg/admission/runtimeclass): a pod created with spec.runtimeClassName gets
// that class's `overhead.podFixed` as spec.overhead (which the scheduler adds to its requests) and
// its `scheduling` merged in: the class's nodeSelector joins the pod's (a key both set differently
// is refused) and its tolerations are appended. A class that does not exist refuses the pod, as
// does an overhead the pod sets that the class does not define. Refusals are 403 Forbidden with
// Kubernetes' messages.
import { compareQuantities, RuntimeClassResource, type Pod, type ResourceList, type RuntimeClass, type Toleration } from '@kite/api-types';
import { admissionForbidden, isKind, untyped } from './attributes.js';
import type { AdmissionAttributes, AdmissionContext, MutatingPlugin, ValidatingPlugin } from './interface.js';

export const NAME = 'RuntimeClass';

/** apiequality.Semantic.DeepEqual of two resource lists: the same names, equal quantities. */
export function sameResources(a: ResourceList, b: ResourceList): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => {
    const x = a[k];
    const y = b[k];
    return x !== undefined && y !== undefined && compareQuantities(x, y) === 0;
  });
}

const sameToleration = (a: Toleration, b: Toleration): boolean =>
  (a.key ?? '') === (b.key ?? '') && (a.operator ?? 'Equal') === (b.operator ?? 'Equal') && (a.value ?? '') === (b.value ?? '') && (a.effect ?? '') === (b.effect ?? '') && a.tolerationSeconds === b.tolerationSeconds;

/** The pod's tolerations with the class's appended, leaving out those the pod already has. */
export function mergeTolerations(pod: readonly Toleration[], extra: readonly Toleration[]): Toleration[] {
  const out = [...pod];
  for (const t of extra) if (!out.some((o) => sameToleration(o, t))) out.push({ ...t });
  return out;
}

/** Applies the class to the pod spec; returns why the pod is refused, if it is. */
export function applyRuntimeClass(spec: NonNullable<Pod['spec']>, rc: RuntimeClass): string | undefined {
  const fixed = rc.overhead?.podFixed;
  if (fixed) {
    if (spec.overhead && Object.keys(spec.overhead).length > 0 && !sameResources(fixed, spec.overhead)) return "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead";
    spec.overhead = { ...fixed };
  }
  const scheduling = rc.scheduling;
  if (!scheduling) return undefined;
  const selector = { ...(spec.nodeSelector ?? {}) };
  for (const [key, value] of Object.entries(scheduling.nodeSelector ?? {})) {
    const podValue = selector[key];
    if (podValue !== undefined && podValue !== value) return `conflict: runtimeClass.scheduling.nodeSelector[${key}] = ${value}; pod.spec.nodeSelector[${key}] = ${podValue}`;
    selector[key] = value;
  }
  if (Object.keys(selector).length > 0) spec.nodeSelector = selector;
  const tolerations = mergeTolerations(spec.tolerations ?? [], scheduling.tolerations ?? []);
  if (tolerations.length > 0) spec.tolerations = tolerations;
  return undefined;
}

/** Why a pod's overhead is refused after mutation: only a class's overhead may be set. */
export function overheadRefusal(spec: NonNullable<Pod['spec']> | undefined, rc: RuntimeClass | undefined): string | undefined {
  if (!spec?.overhead || Object.keys(spec.overhead).length === 0) return undefined;
  const fixed = rc?.overhead?.podFixed;
  if (!fixed) return 'pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead';
  return sameResources(fixed, spec.overhead) ? undefined : "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead";
}

export class RuntimeClassAdmission implements MutatingPlugin, ValidatingPlugin {
  readonly name = NAME;
  constructor(private readonly ctx: AdmissionContext) {}

  handles(attrs: AdmissionAttributes): boolean {
    return attrs.operation === 'CREATE' && attrs.subresource === '' && isKind(attrs, '', 'Pod');
  }

  /** The pod's class; a name without a class (or one being deleted) refuses the pod. */
  private async classOf(attrs: AdmissionAttributes, pod: Pod): Promise<RuntimeClass | undefined> {
    const name = pod.spec?.runtimeClassName;
    if (!name) return undefined;
    const rc = await this.ctx.get<RuntimeClass>(untyped(RuntimeClassResource), '', name);
    if (!rc || rc.metadata.deletionTimestamp) throw admissionForbidden(attrs, pod, `pod rejected: RuntimeClass "${name}" not found`);
    return rc;
  }

  async admit(attrs: AdmissionAttributes, pod: Pod): Promise<void> {
    const rc = await this.classOf(attrs, pod);
    if (!rc || !pod.spec) return;
    const refusal = applyRuntimeClass(pod.spec, rc);
    if (refusal) throw admissionForbidden(attrs, pod, refusal);
  }

  async validate(attrs: AdmissionAttributes, pod: Pod): Promise<void> {
    const refusal = overheadRefusal(pod.spec, await this.classOf(attrs, pod));
    if (refusal) throw admissionForbidden(attrs, pod, refusal);
  }
}

export const newRuntimeClass = (ctx: AdmissionContext): RuntimeClassAdmission => new RuntimeClassAdmission(ctx);
