// Validation of a pod spec (Pods and workload templates) and of pod updates. Field paths are
// relative to `path`, so a Deployment's errors read `spec.template.spec.containers[0].image`.
import type { ObjectMeta, StatusCause } from '../meta/v1.js';
import { duplicate, forbidden, invalid, required } from '../validation/causes.js';
import {
  validateDns1123Label,
  validateDns1123Subdomain,
  validateNonNegative,
  validatePositive,
  validateQualifiedName,
  validateQuantity,
  validateResourceList,
} from '../validation/fields.js';
import { checkConfigKey } from '../validation/names.js';
import { validateAnnotations, validateLabels } from '../validation/validate.js';
import { validateAffinity, validateTolerations, validateTopologySpread } from './affinity-validation.js';
import type { Container } from './container.js';
import { validateContainer, type ContainerKind } from './container-validation.js';
import type { PodSpec, PodTemplateSpec } from './podspec.js';
import { volumeSources, type KeyToPath, type Volume } from './volume.js';

function validateItems(items: KeyToPath[] | undefined, path: string): StatusCause[] {
  const out: StatusCause[] = [];
  items?.forEach((it, i) => {
    out.push(...checkConfigKey(it.key).map((e) => invalid(`${path}[${i}].key`, it.key, e)));
    if (!it.path) out.push(required(`${path}[${i}].path`));
    else if (it.path.startsWith('/') || it.path.split('/').includes('..')) out.push(invalid(`${path}[${i}].path`, it.path, "must be a relative path without '..'"));
  });
  return out;
}

function validateVolumeSource(v: Volume, path: string): StatusCause[] {
  const sources = volumeSources(v);
  if (sources.length === 0) return [required(path, 'must specify a volume type')];
  const out = sources.slice(1).map((s) => forbidden(`${path}.${s}`, 'may not specify more than 1 volume type'));
  if (v.hostPath && !v.hostPath.path) out.push(required(`${path}.hostPath.path`));
  if (v.persistentVolumeClaim && !v.persistentVolumeClaim.claimName) out.push(required(`${path}.persistentVolumeClaim.claimName`));
  if (v.secret && !v.secret.secretName) out.push(required(`${path}.secret.secretName`));
  if (v.emptyDir) out.push(...validateQuantity(v.emptyDir.sizeLimit, `${path}.emptyDir.sizeLimit`));
  out.push(...validateItems(v.configMap?.items, `${path}.configMap.items`), ...validateItems(v.secret?.items, `${path}.secret.items`));
  v.projected?.sources?.forEach((s, i) => {
    const n = Object.values(s).filter((x) => x !== undefined && x !== null).length;
    if (n !== 1) out.push(forbidden(`${path}.projected.sources[${i}]`, 'may not specify more than 1 volume type per source'));
  });
  return out;
}

/** Volume names are DNS labels, unique in the pod; returns the causes and the valid names. */
export function validateVolumes(volumes: Volume[] | undefined, path: string): { causes: StatusCause[]; names: Set<string> } {
  const causes: StatusCause[] = [];
  const names = new Set<string>();
  volumes?.forEach((v, i) => {
    const f = `${path}[${i}]`;
    if (!v.name) causes.push(required(`${f}.name`));
    else {
      const errs = validateDns1123Label(v.name, `${f}.name`);
      causes.push(...errs);
      if (names.has(v.name)) causes.push(duplicate(`${f}.name`, v.name));
      names.add(v.name);
    }
    causes.push(...validateVolumeSource(v, f));
  });
  return { causes, names };
}

function validateAllContainers(spec: PodSpec, volumes: ReadonlySet<string>, path: string): StatusCause[] {
  const out: StatusCause[] = [];
  if (!spec.containers || spec.containers.length === 0) out.push(required(`${path}.containers`));
  const names = new Set<string>();
  const hostPorts = new Set<string>();
  const groups: [string, ContainerKind, Container[] | undefined][] = [
    ['initContainers', 'init', spec.initContainers],
    ['containers', 'container', spec.containers],
    ['ephemeralContainers', 'ephemeral', spec.ephemeralContainers],
  ];
  for (const [field, kind, list] of groups) {
    list?.forEach((c, i) => {
      const f = `${path}.${field}[${i}]`;
      out.push(...validateContainer(c, { kind, volumes }, f));
      if (c.name && names.has(c.name)) out.push(duplicate(`${f}.name`, c.name));
      if (c.name) names.add(c.name);
      c.ports?.forEach((p, j) => {
        if (!p.hostPort) return;
        if (spec.hostNetwork && p.hostPort !== p.containerPort) {
          out.push(invalid(`${f}.ports[${j}].containerPort`, p.containerPort, 'must match `hostPort` when `hostNetwork` is true'));
        }
        const key = `${p.hostIP ?? ''}/${p.hostPort}/${p.protocol ?? 'TCP'}`;
        if (hostPorts.has(key)) out.push(duplicate(`${f}.ports[${j}].hostPort`, `${p.hostPort}/${p.protocol ?? 'TCP'}`));
        hostPorts.add(key);
      });
    });
  }
  return out;
}

function validateNames(spec: PodSpec, path: string): StatusCause[] {
  const out: StatusCause[] = [];
  if (spec.serviceAccountName) out.push(...validateDns1123Subdomain(spec.serviceAccountName, `${path}.serviceAccountName`));
  if (spec.nodeName) out.push(...validateDns1123Subdomain(spec.nodeName, `${path}.nodeName`));
  if (spec.hostname) out.push(...validateDns1123Label(spec.hostname, `${path}.hostname`));
  if (spec.subdomain) out.push(...validateDns1123Label(spec.subdomain, `${path}.subdomain`));
  if (spec.priorityClassName) out.push(...validateDns1123Subdomain(spec.priorityClassName, `${path}.priorityClassName`));
  if (spec.runtimeClassName) out.push(...validateDns1123Subdomain(spec.runtimeClassName, `${path}.runtimeClassName`));
  spec.imagePullSecrets?.forEach((s, i) => {
    if (!s.name) out.push(required(`${path}.imagePullSecrets[${i}].name`));
  });
  spec.readinessGates?.forEach((g, i) => out.push(...validateQualifiedName(g.conditionType, `${path}.readinessGates[${i}].conditionType`)));
  return out;
}

export interface PodSpecValidationOptions {
  /** Volume names provided from outside the spec (a StatefulSet's volumeClaimTemplates). */
  extraVolumes?: readonly string[];
}

export function validatePodSpec(spec: PodSpec, path: string, opts: PodSpecValidationOptions = {}): StatusCause[] {
  const { causes, names } = validateVolumes(spec.volumes, `${path}.volumes`);
  for (const v of opts.extraVolumes ?? []) names.add(v);
  const out = [...causes, ...validateAllContainers(spec, names, path), ...validateNames(spec, path)];
  if (spec.dnsPolicy === 'None' && !spec.dnsConfig?.nameservers?.length) {
    out.push(required(`${path}.dnsConfig`, 'must provide `dnsConfig` with nameservers when `dnsPolicy` is None'));
  }
  out.push(...validateLabels(spec.nodeSelector, `${path}.nodeSelector`));
  out.push(...validateNonNegative(spec.terminationGracePeriodSeconds, `${path}.terminationGracePeriodSeconds`));
  out.push(...validatePositive(spec.activeDeadlineSeconds, `${path}.activeDeadlineSeconds`));
  out.push(...validateAffinity(spec.affinity, `${path}.affinity`));
  out.push(...validateTolerations(spec.tolerations, `${path}.tolerations`));
  out.push(...validateTopologySpread(spec.topologySpreadConstraints, `${path}.topologySpreadConstraints`));
  out.push(...validateResourceList(spec.overhead, `${path}.overhead`));
  return out;
}

/** Labels and annotations of embedded metadata (templates have no name of their own). */
export function validateTemplateMeta(meta: ObjectMeta | undefined, path: string): StatusCause[] {
  return [...validateLabels(meta?.labels, `${path}.labels`), ...validateAnnotations(meta?.annotations, `${path}.annotations`)];
}

/** A workload's pod template; `path` is where it sits, e.g. `spec.template`. */
export function validatePodTemplate(t: PodTemplateSpec | undefined, path: string, opts: PodSpecValidationOptions = {}): StatusCause[] {
  if (!t) return [required(path)];
  const out = validateTemplateMeta(t.metadata, `${path}.metadata`);
  if (!t.spec) return [...out, required(`${path}.spec`)];
  out.push(...validatePodSpec(t.spec, `${path}.spec`, opts));
  return out;
}
