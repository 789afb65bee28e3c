// The shape of one Pod Security Standards check (k8s.io/pod-security-admission/policy): an ID, the
// level that introduces it, and one implementation per policy version it changed in. A check
// returns a reason ("host namespaces") and a detail ("hostNetwork=true"), which the evaluator
// joins into Kubernetes' message: `host namespaces (hostNetwork=true), privileged (...)`.
import type { Container, ObjectMeta, PodSpec } from '@kite/api-types';
import type { Version } from './api.js';

export interface CheckResult {
  allowed: boolean;
  forbiddenReason?: string;
  forbiddenDetail?: string;
}

export type CheckPodFn = (meta: ObjectMeta | undefined, spec: PodSpec) => CheckResult;

export interface VersionedCheck {
  /** The first policy version (v1.N, as N) this implementation applies to. */
  minimumVersion: Version;
  checkPod: CheckPodFn;
  /** Baseline checks this restricted one replaces from this version on. */
  overrideCheckIds?: readonly string[];
}

export interface Check {
  id: string;
  level: 'baseline' | 'restricted';
  /** Strictly increasing minimum versions. */
  versions: readonly VersionedCheck[];
}

export const ALLOWED: CheckResult = { allowed: true };

export const forbid = (forbiddenReason: string, forbiddenDetail: string): CheckResult => ({ allowed: false, forbiddenReason, forbiddenDetail });

/** `"a", "b"` (joinQuote). */
export const joinQuote = (items: readonly string[]): string => (items.length === 0 ? '' : `"${items.join('", "')}"`);

export const pluralize = (singular: string, plural: string, count: number): string => (count === 1 ? singular : plural);

/** `container "a"` or `containers "a", "b"`. */
export const containersPhrase = (names: readonly string[]): string => `${pluralize('container', 'containers', names.length)} ${joinQuote(names)}`;

/** Sorted, deduplicated (sets.String.List()). */
export const sortedSet = (items: Iterable<string>): string[] => [...new Set(items)].sort();

/** Init containers, then containers, then ephemeral containers, as the checks visit them. */
export function visitContainers(spec: PodSpec, visit: (c: Container) => void): void {
  for (const c of spec.initContainers ?? []) visit(c);
  for (const c of spec.containers ?? []) visit(c);
  for (const c of spec.ephemeralContainers ?? []) visit(c);
}

/** Names of the containers for which `bad` holds. */
export function badContainers(spec: PodSpec, bad: (c: Container) => boolean): string[] {
  const out: string[] = [];
  visitContainers(spec, (c) => {
    if (bad(c)) out.push(c.name);
  });
  return out;
}

/** `pod and containers "a", "b"`: who set a forbidden value. */
export function settersPhrase(pod: boolean, containers: readonly string[]): string[] {
  const out = pod ? ['pod'] : [];
  if (containers.length > 0) out.push(containersPhrase(containers));
  return out;
}
