// Validation of one container: name, image, ports, env, resources, mounts, probes. Pod-wide rules
// (unique names across all containers, host port conflicts) live in pod-validation.ts.
import type { StatusCause } from '../meta/v1.js';
import { compareQuantities, isValidQuantity } from '../quantity.js';
import { cause, duplicate, forbidden, invalid, notSupported, required } from '../validation/causes.js';
import {
  validateDns1123Label,
  validateDns1123Subdomain,
  validatePortName,
  validatePortNumber,
  validateResourceList,
} from '../validation/fields.js';
import { checkConfigKey, checkEnvVarName } from '../validation/names.js';
import type { Container, ContainerPort, EnvFromSource, EnvVar, ResourceRequirements, VolumeMount } from './container.js';
import { validateLifecycle, validateProbe } from './probe-validation.js';

export type ContainerKind = 'container' | 'init' | 'ephemeral';

export interface ContainerContext {
  kind: ContainerKind;
  /** Names of the pod's volumes, for checking volumeMounts. */
  volumes: ReadonlySet<string>;
}

/** Pod fields the downward API can expose through env fieldRef. */
export const ENV_FIELD_PATHS = [
  'metadata.name', 'metadata.namespace', 'metadata.uid', 'metadata.labels', 'metadata.annotations', 'spec.nodeName',
  'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs',
] as const;
/** Container resources the downward API can expose through resourceFieldRef. */
export const ENV_RESOURCES = ['limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage'] as const;

export function validatePorts(ports: ContainerPort[] | undefined, path: string): StatusCause[] {
  const out: StatusCause[] = [];
  const names = new Set<string>();
  ports?.forEach((p, i) => {
    const f = `${path}[${i}]`;
    if (p.name) {
      const errs = validatePortName(p.name, `${f}.name`);
      out.push(...errs);
      if (errs.length === 0 && names.has(p.name)) out.push(duplicate(`${f}.name`, p.name));
      names.add(p.name);
    }
    if (!p.containerPort) out.push(required(`${f}.containerPort`));
    else out.push(...validatePortNumber(p.containerPort, `${f}.containerPort`));
    if (p.hostPort) out.push(...validatePortNumber(p.hostPort, `${f}.hostPort`));
  });
  return out;
}

function validateKeyRef(ref: { name?: string; key: string }, path: string): StatusCause[] {
  const out = ref.name ? validateDns1123Subdomain(ref.name, `${path}.name`) : [required(`${path}.name`)];
  out.push(...checkConfigKey(ref.key).map((e) => invalid(`${path}.key`, ref.key, e)));
  return out;
}

function validateEnvVar(e: EnvVar, path: string): StatusCause[] {
  const out = e.name ? checkEnvVarName(e.name).map((m) => invalid(`${path}.name`, e.name, m)) : [required(`${path}.name`)];
  const from = e.valueFrom;
  if (!from) return out;
  const f = `${path}.valueFrom`;
  const set = (['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'] as const).filter((k) => from[k] !== undefined);
  if (set.length === 0) out.push(invalid(f, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  if (set.length > 1) out.push(invalid(f, '', 'may not have more than one field specified at a time'));
  if (e.value) out.push(invalid(f, '', 'may not be specified when `value` is not empty'));
  const fp = from.fieldRef?.fieldPath;
  // metadata.labels['key'] and metadata.annotations['key'] select one entry.
  if (fp !== undefined && !(ENV_FIELD_PATHS as readonly string[]).includes(fp) && !/^metadata\.(labels|annotations)\['[^']+'\]$/.test(fp)) {
    out.push(notSupported(`${f}.fieldRef.fieldPath`, fp, ENV_FIELD_PATHS));
  }
  const res = from.resourceFieldRef;
  if (res) {
    if (!(ENV_RESOURCES as readonly string[]).includes(res.resource) && !/^(limits|requests)\.hugepages-/.test(res.resource)) {
      out.push(notSupported(`${f}.resourceFieldRef.resource`, res.resource, ENV_RESOURCES));
    }
    if (res.divisor !== undefined && !isValidQuantity(res.divisor)) out.push(invalid(`${f}.resourceFieldRef.divisor`, res.divisor, 'must be a valid quantity'));
  }
  if (from.configMapKeyRef) out.push(...validateKeyRef(from.configMapKeyRef, `${f}.configMapKeyRef`));
  if (from.secretKeyRef) out.push(...validateKeyRef(from.secretKeyRef, `${f}.secretKeyRef`));
  return out;
}

function validateEnvFrom(list: EnvFromSource[] | undefined, path: string): StatusCause[] {
  const out: StatusCause[] = [];
  list?.forEach((s, i) => {
    const n = (s.configMapRef ? 1 : 0) + (s.secretRef ? 1 : 0);
    if (n !== 1) out.push(invalid(`${path}[${i}]`, '', 'must specify exactly one of: `configMapRef` or `secretRef`'));
    const ref = s.configMapRef ?? s.secretRef;
    if (ref?.name) out.push(...validateDns1123Subdomain(ref.name, `${path}[${i}].${s.configMapRef ? 'configMapRef' : 'secretRef'}.name`));
  });
  return out;
}

/** Quantities valid and not negative; each request at most its limit. */
export function validateResources(r: ResourceRequirements | undefined, path: string): StatusCause[] {
  if (!r) return [];
  const out = [...validateResourceList(r.limits, `${path}.limits`), ...validateResourceList(r.requests, `${path}.requests`)];
  if (out.length > 0) return out;
  for (const [name, req] of Object.entries(r.requests ?? {})) {
    const lim = r.limits?.[name];
    if (lim !== undefined && compareQuantities(req, lim) > 0) {
      out.push(invalid(`${path}.requests[${name}]`, req, `must be less than or equal to ${name} limit of ${lim}`));
    }
  }
  return out;
}

function validateVolumeMounts(mounts: VolumeMount[] | undefined, volumes: ReadonlySet<string>, path: string): StatusCause[] {
  const out: StatusCause[] = [];
  const paths = new Set<string>();
  mounts?.forEach((m, i) => {
    const f = `${path}[${i}]`;
    if (!m.name) out.push(required(`${f}.name`));
    else if (!volumes.has(m.name)) out.push(cause('FieldValueNotFound', `${f}.name`, `Not found: ${JSON.stringify(m.name)}`));
    if (!m.mountPath) out.push(required(`${f}.mountPath`));
    else if (paths.has(m.mountPath)) out.push(invalid(`${f}.mountPath`, m.mountPath, 'must be unique'));
    paths.add(m.mountPath);
    if (m.subPath && (m.subPath.startsWith('/') || m.subPath.split('/').includes('..'))) {
      out.push(invalid(`${f}.subPath`, m.subPath, "must be a relative path without '..'"));
    }
  });
  return out;
}

/** Fields that only some kinds of container may set. */
function validateKindRules(c: Container, ctx: ContainerContext, path: string): StatusCause[] {
  const out: StatusCause[] = [];
  const sidecar = ctx.kind === 'init' && c.restartPolicy === 'Always';
  if (c.restartPolicy !== undefined && ctx.kind !== 'init') out.push(forbidden(`${path}.restartPolicy`, 'may not be set for non-init containers'));
  if (ctx.kind === 'init' && !sidecar) {
    for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
      if (c[f]) out.push(forbidden(`${path}.${f}`, 'may not be set for init containers without restartPolicy=Always'));
    }
  }
  if (ctx.kind === 'ephemeral') {
    for (const f of ['ports', 'lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
      if (c[f]) out.push(forbidden(`${path}.${f}`, 'cannot be set for an Ephemeral Container'));
    }
  }
  return out;
}

export function validateContainer(c: Container, ctx: ContainerContext, path: string): StatusCause[] {
  const out = c.name ? validateDns1123Label(c.name, `${path}.name`) : [required(`${path}.name`)];
  if (!c.image) out.push(required(`${path}.image`));
  else if (c.image.trim() !== c.image) out.push(invalid(`${path}.image`, c.image, 'must not have leading or trailing whitespace'));
  out.push(...validatePorts(c.ports, `${path}.ports`));
  c.env?.forEach((e, i) => out.push(...validateEnvVar(e, `${path}.env[${i}]`)));
  out.push(...validateEnvFrom(c.envFrom, `${path}.envFrom`));
  out.push(...validateResources(c.resources, `${path}.resources`));
  out.push(...validateVolumeMounts(c.volumeMounts, ctx.volumes, `${path}.volumeMounts`));
  out.push(...validateProbe(c.livenessProbe, 'livenessProbe', `${path}.livenessProbe`));
  out.push(...validateProbe(c.readinessProbe, 'readinessProbe', `${path}.readinessProbe`));
  out.push(...validateProbe(c.startupProbe, 'startupProbe', `${path}.startupProbe`));
  out.push(...validateLifecycle(c.lifecycle, `${path}.lifecycle`));
  out.push(...validateKindRules(c, ctx, path));
  return out;
}
