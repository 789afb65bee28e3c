// Pod Security Admission's vocabulary (k8s.io/pod-security-admission/api): levels, policy
// versions, and the namespace labels that choose a level and version per mode:
//   pod-security.kubernetes.io/enforce: restricted        (refuse violating pods)
//   pod-security.kubernetes.io/enforce-version: v1.30     (or latest, the default)
//   pod-security.kubernetes.io/warn / audit (+ -version)  (warn the client / annotate the audit event)
// An invalid enforce level fails closed (restricted); invalid warn and audit levels fail open.
import type { StatusCause } from '@kite/api-types';

export type Level = 'privileged' | 'baseline' | 'restricted';
export const LEVELS: readonly Level[] = ['privileged', 'baseline', 'restricted'];

/** A policy version: the minor of v1.N, or LATEST. */
export type Version = number;
export const LATEST: Version = Number.POSITIVE_INFINITY;

export interface LevelVersion {
  level: Level;
  version: Version;
}

export interface Policy {
  enforce: LevelVersion;
  audit: LevelVersion;
  warn: LevelVersion;
}

const PREFIX = 'pod-security.kubernetes.io/';
export const ENFORCE_LEVEL_LABEL = `${PREFIX}enforce`;
export const ENFORCE_VERSION_LABEL = `${PREFIX}enforce-version`;
export const AUDIT_LEVEL_LABEL = `${PREFIX}audit`;
export const AUDIT_VERSION_LABEL = `${PREFIX}audit-version`;
export const WARN_LEVEL_LABEL = `${PREFIX}warn`;
export const WARN_VERSION_LABEL = `${PREFIX}warn-version`;

/** Audit annotations carry this prefix (api.AuditAnnotationPrefix). */
export const AUDIT_ANNOTATION_PREFIX = PREFIX;
export const AUDIT_VIOLATIONS_ANNOTATION = 'audit-violations';
export const ENFORCED_POLICY_ANNOTATION = 'enforce-policy';
export const EXEMPTION_REASON_ANNOTATION = 'exempt';

export const versionString = (v: Version): string => (v === LATEST ? 'latest' : `v1.${v}`);
/** `restricted:latest`, `baseline:v1.30`. */
export const levelVersionString = (lv: LevelVersion): string => `${lv.level}:${versionString(lv.version)}`;

/** Everything privileged:latest: the default when a namespace has no labels. */
export const PRIVILEGED_POLICY: Policy = {
  enforce: { level: 'privileged', version: LATEST },
  audit: { level: 'privileged', version: LATEST },
  warn: { level: 'privileged', version: LATEST },
};

export const fullyPrivileged = (p: Policy): boolean => p.enforce.level === 'privileged' && p.audit.level === 'privileged' && p.warn.level === 'privileged';

/** -1, 0 or 1 as a is less, equally or more restrictive than b. */
export function compareLevels(a: Level, b: Level): number {
  return Math.sign(LEVELS.indexOf(a) - LEVELS.indexOf(b));
}

const VERSION_RE = /^v1\.([0-9]|[1-9][0-9]*)$/;

function parseLevel(value: string): Level | undefined {
  return (LEVELS as readonly string[]).includes(value) ? (value as Level) : undefined;
}

function parseVersion(value: string): Version | undefined {
  if (value === 'latest') return LATEST;
  const m = VERSION_RE.exec(value);
  return m ? Number(m[1]) : undefined;
}

/** The field error Kubernetes reports for a bad label: metadata.labels[KEY]: Invalid value: "x": ... */
const labelError = (label: string, value: string, detail: string): StatusCause => ({
  reason: 'FieldValueInvalid',
  field: `metadata.labels[${label}]`,
  message: `Invalid value: ${JSON.stringify(value)}: ${detail}`,
});

/** api.PolicyToEvaluate: the namespace's policy, and the errors of its labels. */
export function policyFromLabels(labels: Record<string, string> | undefined, defaults: Policy = PRIVILEGED_POLICY): { policy: Policy; errors: StatusCause[] } {
  const p: Policy = { enforce: { ...defaults.enforce }, audit: { ...defaults.audit }, warn: { ...defaults.warn } };
  const errors: StatusCause[] = [];
  if (!labels || Object.keys(labels).length === 0) return { policy: p, errors };
  const level = (label: string, onError: Level): Level | undefined => {
    const v = labels[label];
    if (v === undefined) return undefined;
    const l = parseLevel(v);
    if (l === undefined) errors.push(labelError(label, v, `must be one of ${LEVELS.join(', ')}`));
    return l ?? onError;
  };
  const version = (label: string): Version | undefined => {
    const v = labels[label];
    if (v === undefined) return undefined;
    const parsed = parseVersion(v);
    if (parsed === undefined) errors.push(labelError(label, v, 'must be "latest" or "v1.x"'));
    return parsed ?? LATEST;
  };
  const enforceLevel = level(ENFORCE_LEVEL_LABEL, 'restricted'); // fail closed
  if (enforceLevel !== undefined) p.enforce.level = enforceLevel;
  const enforceVersion = version(ENFORCE_VERSION_LABEL);
  if (enforceVersion !== undefined) p.enforce.version = enforceVersion;
  p.audit.level = level(AUDIT_LEVEL_LABEL, 'privileged') ?? p.audit.level; // fail open
  p.audit.version = version(AUDIT_VERSION_LABEL) ?? p.audit.version;
  const warnLevel = level(WARN_LEVEL_LABEL, 'privileged'); // fail open
  if (warnLevel !== undefined) p.warn.level = warnLevel;
  const warnVersion = version(WARN_VERSION_LABEL);
  if (warnVersion !== undefined) p.warn.version = warnVersion;
  // Without a warn label, warn at least at the (valid) enforce level, so clients see why they fail.
  const validEnforce = enforceLevel !== undefined && parseLevel(labels[ENFORCE_LEVEL_LABEL] ?? '') !== undefined;
  if (warnLevel === undefined && validEnforce && compareLevels(p.enforce.level, p.warn.level) > 0) {
    p.warn.level = p.enforce.level;
    if (warnVersion === undefined) p.warn.version = p.enforce.version;
  }
  return { policy: p, errors };
}
