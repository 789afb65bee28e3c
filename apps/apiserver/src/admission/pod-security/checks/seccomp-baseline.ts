// Baseline `seccompProfile_baseline`: seccomp may not be Unconfined. Before v1.19 the profile was
// set by annotations, which are checked for those policy versions.
import { ALLOWED, forbid, joinQuote, pluralize, settersPhrase, sortedSet, visitContainers, type Check, type CheckPodFn } from '../check.js';

export const SECCOMP_BASELINE_ID = 'seccompProfile_baseline';
const POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

export const validSeccompType = (t: string): boolean => t === 'RuntimeDefault' || t === 'Localhost';
const validAnnotation = (v: string): boolean => v === 'runtime/default' || v === 'docker/default' || v.startsWith('localhost/');

const annotations_1_0: CheckPodFn = (meta, spec) => {
  const found: string[] = [];
  const annotations = meta?.annotations ?? {};
  const check = (key: string) => {
    const v = annotations[key];
    if (v !== undefined && !validAnnotation(v)) found.push(`${key}=${JSON.stringify(v)}`);
  };
  check(POD_ANNOTATION);
  visitContainers(spec, (c) => check(`${CONTAINER_ANNOTATION_PREFIX}${c.name}`));
  const list = sortedSet(found);
  return list.length === 0 ? ALLOWED : forbid('seccompProfile', `forbidden ${pluralize('annotation', 'annotations', list.length)} ${list.join(', ')}`);
};

/** Who sets a forbidden seccomp type, and which types; shared with the restricted check. */
export function explicitSeccompViolations(spec: Parameters<CheckPodFn>[1]): { setters: string[]; values: string[]; podValid: boolean } {
  const values: string[] = [];
  const podType = spec.securityContext?.seccompProfile?.type;
  const podBad = podType !== undefined && !validSeccompType(podType);
  if (podBad) values.push(podType);
  const bad: string[] = [];
  visitContainers(spec, (c) => {
    const t = c.securityContext?.seccompProfile?.type;
    if (t === undefined || validSeccompType(t)) return;
    bad.push(c.name);
    values.push(t);
  });
  return { setters: settersPhrase(podBad, bad), values: sortedSet(values), podValid: podType !== undefined && !podBad };
}

const fields_1_19: CheckPodFn = (_meta, spec) => {
  const { setters, values } = explicitSeccompViolations(spec);
  if (setters.length === 0) return ALLOWED;
  return forbid('seccompProfile', `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(values)}`);
};

export const seccompBaselineCheck: Check = {
  id: SECCOMP_BASELINE_ID,
  level: 'baseline',
  versions: [
    { minimumVersion: 0, checkPod: annotations_1_0 },
    { minimumVersion: 19, checkPod: fields_1_19 },
  ],
};
