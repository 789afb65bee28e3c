// Restricted `seccompProfile_restricted`: the pod, or every container, must set seccomp to
// RuntimeDefault or Localhost. Replaces the baseline seccomp check at this level; from v1.25
// Windows pods (spec.os.name windows) are exempt, as Windows has no seccomp.
import { ALLOWED, containersPhrase, forbid, joinQuote, visitContainers, type Check, type CheckPodFn } from '../check.js';
import { explicitSeccompViolations, SECCOMP_BASELINE_ID } from './seccomp-baseline.js';

const restricted_1_19: CheckPodFn = (_meta, spec) => {
  const { setters, values, podValid } = explicitSeccompViolations(spec);
  if (setters.length > 0) return forbid('seccompProfile', `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(values)}`);
  const implicit: string[] = [];
  visitContainers(spec, (c) => {
    if (c.securityContext?.seccompProfile === undefined && !podValid) implicit.push(c.name);
  });
  if (implicit.length === 0) return ALLOWED;
  return forbid('seccompProfile', `pod or ${containersPhrase(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`);
};

const restricted_1_25: CheckPodFn = (meta, spec) => (spec.os?.name === 'windows' ? ALLOWED : restricted_1_19(meta, spec));

export const seccompRestrictedCheck: Check = {
  id: 'seccompProfile_restricted',
  level: 'restricted',
  versions: [
    { minimumVersion: 19, checkPod: restricted_1_19, overrideCheckIds: [SECCOMP_BASELINE_ID] },
    { minimumVersion: 25, checkPod: restricted_1_25, overrideCheckIds: [SECCOMP_BASELINE_ID] },
  ],
};
