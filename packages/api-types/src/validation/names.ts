// Name and label rules (BRIEF §1). Each check returns error messages, empty when valid,
// so callers can attach them to the field path they are validating.

/** DNS-1123 label: at most 63 lower-case alphanumerics or '-', starting and ending alphanumeric. */
export const DNS1123_LABEL_MAX = 63;
/** DNS-1123 subdomain: dot-separated labels, at most 253 characters in all. */
export const DNS1123_SUBDOMAIN_MAX = 253;
/** Label and annotation key name part (after the optional prefix). */
export const QUALIFIED_NAME_MAX = 63;
/** Label values: this project allows 253 (Kubernetes stops at 63). */
export const LABEL_VALUE_MAX = 253;
/** Total size of all annotations on one object, as Kubernetes limits it. */
export const ANNOTATIONS_TOTAL_MAX = 256 * 1024;

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const qualifiedName = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Which rule a kind's names follow (Kubernetes' per-kind ValidateNameFunc). */
export type NameFormat = 'dns-subdomain' | 'dns-label' | 'path-segment';

/** path.IsValidPathSegmentName: RBAC names such as `system:aggregate-to-admin` may hold ':'. */
export function checkPathSegmentName(value: string): string[] {
  if (value === '.' || value === '..') return [`may not be '${value}'`];
  const bad = ['/', '%'].filter((c) => value.includes(c));
  return bad.map((c) => `may not contain '${c}'`);
}

export function checkDns1123Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123_LABEL_MAX) errs.push(`must be no more than ${DNS1123_LABEL_MAX} characters`);
  if (!dns1123Label.test(value)) {
    errs.push(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc')",
    );
  }
  return errs;
}

export function checkDns1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX) errs.push(`must be no more than ${DNS1123_SUBDOMAIN_MAX} characters`);
  if (!dns1123Subdomain.test(value)) {
    errs.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')",
    );
  }
  return errs;
}

/** A label or annotation key: optional `prefix/` (a DNS subdomain) then a qualified name. */
export function checkQualifiedName(key: string): string[] {
  const errs: string[] = [];
  const parts = key.split('/');
  let name = key;
  if (parts.length > 2) {
    return ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"];
  }
  if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    name = parts[1] ?? '';
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else errs.push(...checkDns1123Subdomain(prefix).map((e) => `prefix part ${e}`));
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > QUALIFIED_NAME_MAX) errs.push(`name part must be no more than ${QUALIFIED_NAME_MAX} characters`);
  if (name.length > 0 && !qualifiedName.test(name)) {
    errs.push(
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc')",
    );
  }
  return errs;
}

export function checkLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (value.length > LABEL_VALUE_MAX) errs.push(`must be no more than ${LABEL_VALUE_MAX} characters`);
  if (!labelValue.test(value)) {
    errs.push(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345')",
    );
  }
  return errs;
}

/** IANA service names (container port names): at most 15 characters. */
export const IANA_SVC_NAME_MAX = 15;

/**
 * A port name: 1-15 lower-case alphanumerics or '-', at least one letter, no leading, trailing or
 * doubled '-' (so it can never be mistaken for a port number).
 */
export function checkIanaSvcName(value: string): string[] {
  const errs: string[] = [];
  if (value.length === 0 || value.length > IANA_SVC_NAME_MAX) errs.push(`must be no more than ${IANA_SVC_NAME_MAX} characters`);
  if (!/^[-a-z0-9]+$/.test(value)) errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (value.includes('--')) errs.push('must not contain consecutive hyphens');
  if (!/[a-z]/.test(value)) errs.push('must contain at least one letter (a-z)');
  if (value.startsWith('-') || value.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

/**
 * Environment variable names: any printable ASCII except '=' (Kubernetes 1.32 enables
 * RelaxedEnvironmentVariableValidation by default; the older C-identifier rule is a subset).
 */
export function checkEnvVarName(value: string): string[] {
  if (value.length === 0) return ['must not be empty'];
  return /^[\x20-\x3c\x3e-\x7e]+$/.test(value) ? [] : ["a valid environment variable name must consist only of printable ASCII characters other than '='"];
}

const configKeyRe = /^[-._a-zA-Z0-9]+$/;

/** Keys of ConfigMap and Secret data: file names that may be mounted into a pod. */
export function checkConfigKey(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX) errs.push(`must be no more than ${DNS1123_SUBDOMAIN_MAX} characters`);
  if (!configKeyRe.test(value)) errs.push("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name', or 'KEY_NAME', or 'key-name')");
  if (value === '.' || value === '..') errs.push("must not be '.' or '..'");
  return errs;
}
