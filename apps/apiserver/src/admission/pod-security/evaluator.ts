// The Pod Security evaluator (policy/registry.go): which checks run for a level and version, in
// which order, and how their results read as one message.
// - privileged runs nothing; baseline runs the baseline checks; restricted runs the baseline
//   checks (minus those a restricted check overrides at that version) and the restricted ones.
// - Each check runs the implementation for the newest version <= the requested one; `latest`
//   and versions newer than any check mean the newest implementations (today v1.32).
// - Order: baseline IDs sorted, then restricted IDs sorted, so messages are stable.
import type { ObjectMeta, PodSpec } from '@kite/api-types';
import { LATEST, type LevelVersion, type Version } from './api.js';
import type { Check, CheckPodFn, CheckResult, VersionedCheck } from './check.js';
import { allowPrivilegeEscalationCheck } from './checks/allow-privilege-escalation.js';
import { appArmorCheck } from './checks/apparmor.js';
import { capabilitiesBaselineCheck } from './checks/capabilities-baseline.js';
import { capabilitiesRestrictedCheck } from './checks/capabilities-restricted.js';
import { hostNamespacesCheck } from './checks/host-namespaces.js';
import { hostPathVolumesCheck } from './checks/host-path-volumes.js';
import { hostPortsCheck } from './checks/host-ports.js';
import { hostProcessCheck } from './checks/host-process.js';
import { privilegedCheck } from './checks/privileged.js';
import { procMountCheck } from './checks/proc-mount.js';
import { restrictedVolumesCheck } from './checks/restricted-volumes.js';
import { runAsNonRootCheck } from './checks/run-as-non-root.js';
import { runAsUserCheck } from './checks/run-as-user.js';
import { seccompBaselineCheck } from './checks/seccomp-baseline.js';
import { seccompRestrictedCheck } from './checks/seccomp-restricted.js';
import { seLinuxCheck } from './checks/selinux.js';
import { sysctlsCheck } from './checks/sysctls.js';

/** The checks of policy.DefaultChecks(). */
export const DEFAULT_CHECKS: readonly Check[] = [
  allowPrivilegeEscalationCheck,
  appArmorCheck,
  capabilitiesBaselineCheck,
  capabilitiesRestrictedCheck,
  hostNamespacesCheck,
  hostPathVolumesCheck,
  hostPortsCheck,
  privilegedCheck,
  procMountCheck,
  restrictedVolumesCheck,
  runAsNonRootCheck,
  runAsUserCheck,
  seLinuxCheck,
  seccompBaselineCheck,
  seccompRestrictedCheck,
  sysctlsCheck,
  hostProcessCheck,
];

/** Failed checks joined as Kubernetes prints them (AggregateCheckResult). */
export interface AggregateResult {
  allowed: boolean;
  reasons: string[];
  /** `reason (detail), reason (detail)`. */
  detail: string;
}

export function aggregate(results: readonly CheckResult[]): AggregateResult {
  const failed = results.filter((r) => !r.allowed);
  const reasons = failed.map((r) => r.forbiddenReason || 'unknown forbidden reason');
  const detail = failed.map((r, i) => (r.forbiddenDetail ? `${reasons[i]} (${r.forbiddenDetail})` : reasons[i])).join(', ');
  return { allowed: failed.length === 0, reasons, detail };
}

/** The implementation of a check for version v, if the check existed then. */
function implementationAt(check: Check, v: Version): VersionedCheck | undefined {
  let found: VersionedCheck | undefined;
  for (const impl of check.versions) if (impl.minimumVersion <= v) found = impl;
  return found;
}

const byId = (a: Check, b: Check): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class Evaluator {
  private readonly baseline: Check[];
  private readonly restricted: Check[];
  /** The newest version any check changed in; newer requests evaluate as this one. */
  readonly maxVersion: Version;
  private readonly cache = new Map<string, CheckPodFn[]>();

  constructor(checks: readonly Check[] = DEFAULT_CHECKS) {
    this.baseline = checks.filter((c) => c.level === 'baseline').sort(byId);
    this.restricted = checks.filter((c) => c.level === 'restricted').sort(byId);
    this.maxVersion = Math.max(...checks.map((c) => c.versions[c.versions.length - 1]?.minimumVersion ?? 0));
  }

  /** Every check's result for a pod; empty for privileged. */
  evaluatePod(lv: LevelVersion, meta: ObjectMeta | undefined, spec: PodSpec): CheckResult[] {
    if (lv.level === 'privileged') return [];
    return this.checksFor(lv).map((fn) => fn(meta, spec));
  }

  private checksFor(lv: LevelVersion): CheckPodFn[] {
    const v = lv.version === LATEST || lv.version > this.maxVersion ? this.maxVersion : lv.version;
    const key = `${lv.level}:${v}`;
    let fns = this.cache.get(key);
    if (!fns) {
      fns = this.resolve(lv.level === 'restricted', v);
      this.cache.set(key, fns);
    }
    return fns;
  }

  private resolve(restricted: boolean, v: Version): CheckPodFn[] {
    const strict = restricted ? this.restricted.map((c) => implementationAt(c, v)).filter((i): i is VersionedCheck => i !== undefined) : [];
    const overridden = new Set(strict.flatMap((i) => i.overrideCheckIds ?? []));
    const base = this.baseline
      .filter((c) => !overridden.has(c.id))
      .map((c) => implementationAt(c, v))
      .filter((i): i is VersionedCheck => i !== undefined);
    return [...base, ...strict].map((i) => i.checkPod);
  }
}
