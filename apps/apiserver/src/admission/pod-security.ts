// PodSecurity (k8s.io/pod-security-admission, plugin/pkg/admission/security/podsecurity): the Pod
// Security Standards, chosen per namespace by its `pod-security.kubernetes.io/*` labels.
// - Pods (create, and updates that change an image or add an ephemeral container): `enforce`
//   refuses with 403 `pods "x" is forbidden: violates PodSecurity "restricted:latest": ...`;
//   `warn` adds a warning `would violate PodSecurity "...": ...`; `audit` adds the audit
//   annotation `pod-security.kubernetes.io/audit-violations`.
// - Workloads with a pod template (Deployment, ReplicaSet, StatefulSet, Job, ...): warn and audit
//   only; their pods meet `enforce` when they are created.
// - Namespaces: invalid labels are refused (422); tightening `enforce` warns about existing pods
//   that would now be refused.
// Nothing is exempt unless configured. A validating plugin: it never changes the object.
import { NamespaceResource, PodResource, type KubeObject, type Namespace, type ObjectMeta, type Pod, type PodSpec, type StatusCause } from '@kite/api-types';
import { forbidden, internal, invalid } from '@kite/apimachinery';
import { aggregateMessages, groupResource, isKind, untyped } from './attributes.js';
import type { AdmissionAttributes, AdmissionContext, ValidatingPlugin } from './interface.js';
import {
  AUDIT_ANNOTATION_PREFIX,
  AUDIT_VIOLATIONS_ANNOTATION,
  compareLevels,
  ENFORCED_POLICY_ANNOTATION,
  EXEMPTION_REASON_ANNOTATION,
  fullyPrivileged,
  LATEST,
  levelVersionString,
  policyFromLabels,
  PRIVILEGED_POLICY,
  type LevelVersion,
  type Policy,
} from './pod-security/api.js';
import { aggregate, Evaluator, type AggregateResult } from './pod-security/evaluator.js';
import { extractPodTemplate, hasPodTemplate } from './pod-security/extract.js';

export const NAME = 'PodSecurity';

/** Pod subresources that cannot change what a pod runs (ignoredPodSubresources). */
const IGNORED_POD_SUBRESOURCES = new Set(['exec', 'attach', 'binding', 'eviction', 'log', 'portforward', 'proxy', 'status']);
/** At most this many existing pods are checked when a namespace's enforce level tightens. */
export const NAMESPACE_MAX_PODS_TO_CHECK = 3000;

export interface PodSecurityExemptions {
  usernames?: readonly string[];
  namespaces?: readonly string[];
  runtimeClasses?: readonly string[];
}

export interface PodSecurityOptions {
  /** The policy of namespaces without labels; privileged:latest for every mode by default. */
  defaults?: Policy;
  /** Nothing is exempt by default. */
  exemptions?: PodSecurityExemptions;
}

const labelErrors = (errors: readonly StatusCause[]): string => aggregateMessages(errors.map((e) => `${e.field}: ${e.message}`));

/** Only an image change or a new ephemeral container can make a running pod less secure. */
export function isSignificantPodUpdate(pod: PodSpec | undefined, old: PodSpec | undefined): boolean {
  const [a, b] = [pod ?? { containers: [] }, old ?? { containers: [] }];
  const lists: [typeof a.containers | undefined, typeof b.containers | undefined][] = [
    [a.containers, b.containers],
    [a.initContainers, b.initContainers],
  ];
  for (const [now, before] of lists) {
    if ((now ?? []).length !== (before ?? []).length) return true;
    if ((now ?? []).some((c, i) => c.image !== before?.[i]?.image)) return true;
  }
  return (a.ephemeralContainers ?? []).some((c) => {
    const prev = (b.ephemeralContainers ?? []).find((o) => o.name === c.name);
    return !prev || prev.image !== c.image;
  });
}

export class PodSecurity implements ValidatingPlugin {
  readonly name = NAME;
  private readonly evaluator = new Evaluator();
  private readonly defaults: Policy;
  private readonly exempt: { usernames: Set<string>; namespaces: Set<string>; runtimeClasses: Set<string> };

  constructor(
    private readonly ctx: AdmissionContext,
    opts: PodSecurityOptions = {},
  ) {
    this.defaults = opts.defaults ?? PRIVILEGED_POLICY;
    const e = opts.exemptions ?? {};
    this.exempt = { usernames: new Set(e.usernames), namespaces: new Set(e.namespaces), runtimeClasses: new Set(e.runtimeClasses) };
  }

  handles(attrs: AdmissionAttributes): boolean {
    if (attrs.operation !== 'CREATE' && attrs.operation !== 'UPDATE') return false;
    return isKind(attrs, '', 'Pod') || isKind(attrs, '', 'Namespace') || hasPodTemplate(attrs.rt.group, attrs.rt.plural);
  }

  async validate(attrs: AdmissionAttributes, obj: KubeObject, old: KubeObject | undefined): Promise<void> {
    if (isKind(attrs, '', 'Namespace')) return this.validateNamespace(attrs, obj as Namespace, old as Namespace | undefined);
    if (isKind(attrs, '', 'Pod')) return this.validatePod(attrs, obj as Pod, old as Pod | undefined);
    return this.validateWorkload(attrs, obj);
  }

  private async validateNamespace(attrs: AdmissionAttributes, ns: Namespace, old: Namespace | undefined): Promise<void> {
    if (attrs.subresource !== '') return;
    const { policy, errors } = policyFromLabels(ns.metadata.labels, this.defaults);
    const name = ns.metadata.name ?? attrs.name;
    const refuse = () => invalid({ group: '', kind: 'Namespace' }, name, errors);
    if (attrs.operation === 'CREATE' || !old) {
      if (errors.length > 0) throw refuse();
      return;
    }
    const before = policyFromLabels(old.metadata.labels, this.defaults);
    if (errors.length > 0 && (before.errors.length === 0 || labelErrors(errors) !== labelErrors(before.errors))) throw refuse();
    const [now, was] = [policy.enforce, before.policy.enforce];
    if (now.level === was.level && now.version === was.version) return;
    if (now.level === 'privileged') return;
    if (now.version === was.version && compareLevels(now.level, was.level) < 1) return;
    if (this.exempt.namespaces.has(name)) return;
    attrs.warnings.push(...(await this.evaluatePodsInNamespace(name, now)));
  }

  private async validatePod(attrs: AdmissionAttributes, pod: Pod, old: Pod | undefined): Promise<void> {
    if (IGNORED_POD_SUBRESOURCES.has(attrs.subresource)) return;
    if (this.exempted(attrs)) return;
    const ns = await this.ctx.get<Namespace>(untyped(NamespaceResource), '', attrs.namespace);
    if (!ns) {
      const err = internal(`failed to lookup namespace ${JSON.stringify(attrs.namespace)}`);
      this.annotate(attrs, { error: err.message });
      throw err;
    }
    const { policy, errors } = policyFromLabels(ns.metadata.labels, this.defaults);
    if (errors.length === 0 && fullyPrivileged(policy)) {
      this.annotate(attrs, { [ENFORCED_POLICY_ANNOTATION]: levelVersionString({ level: 'privileged', version: LATEST }) });
      return;
    }
    if (attrs.operation === 'UPDATE' && old && !isSignificantPodUpdate(pod.spec, old.spec)) return;
    this.evaluate(attrs, policy, errors, pod.metadata, pod.spec ?? { containers: [] }, true);
  }

  private async validateWorkload(attrs: AdmissionAttributes, obj: KubeObject): Promise<void> {
    if (attrs.subresource !== '' || this.exempted(attrs)) return;
    const ns = await this.ctx.get<Namespace>(untyped(NamespaceResource), '', attrs.namespace);
    if (!ns) {
      this.annotate(attrs, { error: `failed to lookup namespace ${JSON.stringify(attrs.namespace)}: namespaces ${JSON.stringify(attrs.namespace)} not found` });
      return;
    }
    const { policy, errors } = policyFromLabels(ns.metadata.labels, this.defaults);
    if (errors.length === 0 && policy.warn.level === 'privileged' && policy.audit.level === 'privileged') return;
    const template = extractPodTemplate(attrs.rt.group, attrs.rt.plural, obj);
    if (!template) return;
    this.evaluate(attrs, policy, errors, template.meta, template.spec, false);
  }

  /** Namespace and user exemptions, recorded as Kubernetes records them. */
  private exempted(attrs: AdmissionAttributes): boolean {
    const reason = attrs.namespace && this.exempt.namespaces.has(attrs.namespace) ? 'namespace' : this.exempt.usernames.has(attrs.user.username) ? 'user' : '';
    if (reason) this.annotate(attrs, { [EXEMPTION_REASON_ANNOTATION]: reason });
    return reason !== '';
  }

  /** EvaluatePod: enforce (pods only), then audit, then warn (unless refused). Throws to refuse. */
  private evaluate(attrs: AdmissionAttributes, policy: Policy, errors: StatusCause[], meta: ObjectMeta | undefined, spec: PodSpec, enforce: boolean): void {
    if (spec.runtimeClassName && this.exempt.runtimeClasses.has(spec.runtimeClassName)) {
      this.annotate(attrs, { [EXEMPTION_REASON_ANNOTATION]: 'runtimeClass' });
      return;
    }
    const annotations: Record<string, string> = {};
    if (errors.length > 0) annotations.error = `Failed to parse policy: ${labelErrors(errors)}`;
    const results = new Map<string, AggregateResult>();
    const resultFor = (lv: LevelVersion): AggregateResult => {
      const key = levelVersionString(lv);
      let r = results.get(key);
      if (!r) results.set(key, (r = aggregate(this.evaluator.evaluatePod(lv, meta, spec))));
      return r;
    };
    let refusal: Error | undefined;
    if (enforce) {
      annotations[ENFORCED_POLICY_ANNOTATION] = levelVersionString(policy.enforce);
      const r = resultFor(policy.enforce);
      if (!r.allowed) refusal = forbidden(groupResource(attrs), attrs.name, `violates PodSecurity ${JSON.stringify(levelVersionString(policy.enforce))}: ${r.detail}`);
    }
    const audit = resultFor(policy.audit);
    if (!audit.allowed) annotations[AUDIT_VIOLATIONS_ANNOTATION] = `would violate PodSecurity ${JSON.stringify(levelVersionString(policy.audit))}: ${audit.detail}`;
    if (!refusal) {
      const warn = resultFor(policy.warn);
      if (!warn.allowed) attrs.warnings.push(`would violate PodSecurity ${JSON.stringify(levelVersionString(policy.warn))}: ${warn.detail}`);
    }
    this.annotate(attrs, annotations);
    if (refusal) throw refusal;
  }

  private annotate(attrs: AdmissionAttributes, annotations: Record<string, string>): void {
    for (const [k, v] of Object.entries(annotations)) attrs.auditAnnotations[`${AUDIT_ANNOTATION_PREFIX}${k}`] = v;
  }

  /**
   * Warnings for existing pods a tightened enforce level would refuse, one per distinct reason:
   * `web-1 (and 2 other pods): allowPrivilegeEscalation != false, ...`. Pods of one controller
   * are checked once before their siblings.
   */
  private async evaluatePodsInNamespace(namespace: string, enforce: LevelVersion): Promise<string[]> {
    const pods = this.prioritize(await this.ctx.list<Pod>(untyped(PodResource), namespace));
    const checked = pods.slice(0, NAMESPACE_MAX_PODS_TO_CHECK);
    const byReason = new Map<string, { first: string; count: number }>();
    for (const pod of checked) {
      const r = aggregate(this.evaluator.evaluatePod(enforce, pod.metadata, pod.spec ?? { containers: [] }));
      if (r.allowed) continue;
      const reason = r.reasons.join(', ');
      const name = pod.metadata.name ?? '';
      const seen = byReason.get(reason);
      if (!seen) byReason.set(reason, { first: name, count: 1 });
      else byReason.set(reason, { first: name < seen.first ? name : seen.first, count: seen.count + 1 });
    }
    const out: string[] = [];
    if (checked.length < pods.length) out.push(`new PodSecurity enforce level only checked against the first ${checked.length} of ${pods.length} existing pods`);
    if (byReason.size > 0) out.push(`existing pods in namespace ${JSON.stringify(namespace)} violate the new PodSecurity enforce level ${JSON.stringify(levelVersionString(enforce))}`);
    const decorated = [...byReason].map(([reason, { first, count }]) => {
      if (count === 1) return `${first}: ${reason}`;
      return `${first} (and ${count - 1} other ${count === 2 ? 'pod' : 'pods'}): ${reason}`;
    });
    return [...out, ...decorated.sort()];
  }

  /** Exempt runtime classes out; one pod per controller first, its siblings last. */
  private prioritize(pods: Pod[]): Pod[] {
    const first: Pod[] = [];
    const rest: Pod[] = [];
    const controllers = new Set<string>();
    for (const pod of pods) {
      if (pod.spec?.runtimeClassName && this.exempt.runtimeClasses.has(pod.spec.runtimeClassName)) continue;
      const owner = pod.metadata.ownerReferences?.find((r) => r.controller);
      if (owner && controllers.has(owner.uid)) rest.push(pod);
      else {
        if (owner) controllers.add(owner.uid);
        first.push(pod);
      }
    }
    return [...first, ...rest];
  }
}

export const newPodSecurity = (ctx: AdmissionContext, opts: PodSecurityOptions = {}): PodSecurity => new PodSecurity(ctx, opts);
