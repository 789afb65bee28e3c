// Defaulting of pod specs, as Kubernetes' core/v1 defaults do. Workload kinds reuse
// defaultPodTemplate for their templates; defaultPod adds what applies to Pods only (requests
// from limits, service links, host ports under hostNetwork).
import type { Container, EphemeralContainer, EnvVar, PullPolicy } from './container.js';
import type { HTTPGetAction, Lifecycle, Probe } from './probe.js';
import type { PodSpec, PodTemplateSpec } from './podspec.js';
import { volumeSources, type Volume } from './volume.js';

export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;
export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';
export const DEFAULT_TERMINATION_MESSAGE_PATH = '/dev/termination-log';
/** Probe timing defaults: 1 s timeout, every 10 s, 1 success, 3 failures. */
export const PROBE_DEFAULTS = { timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 } as const;
/** File mode of projected ConfigMap, Secret and downward-API files: 0644. */
export const DEFAULT_VOLUME_FILE_MODE = 0o644;

/**
 * Always for ':latest' or untagged images (they may move), IfNotPresent for tags and digests.
 * Wasm modules (a '.wasm' file or a URL) are immutable artefacts fetched by the runtime: IfNotPresent.
 */
export function defaultImagePullPolicy(image: string): PullPolicy {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(image) || image.endsWith('.wasm')) return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  const tag = colon < 0 ? 'latest' : lastSegment.slice(colon + 1);
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultHttpGet(h: HTTPGetAction | undefined): void {
  if (!h) return;
  h.path ||= '/';
  h.scheme ??= 'HTTP';
}

function defaultProbe(p: Probe | undefined): void {
  if (!p) return;
  p.timeoutSeconds ??= PROBE_DEFAULTS.timeoutSeconds;
  p.periodSeconds ??= PROBE_DEFAULTS.periodSeconds;
  p.successThreshold ??= PROBE_DEFAULTS.successThreshold;
  p.failureThreshold ??= PROBE_DEFAULTS.failureThreshold;
  defaultHttpGet(p.httpGet);
}

function defaultLifecycle(l: Lifecycle | undefined): void {
  defaultHttpGet(l?.postStart?.httpGet);
  defaultHttpGet(l?.preStop?.httpGet);
}

function defaultEnv(env: EnvVar[] | undefined): void {
  for (const e of env ?? []) if (e.valueFrom?.fieldRef) e.valueFrom.fieldRef.apiVersion ||= 'v1';
}

export function defaultContainer(c: Container | EphemeralContainer): void {
  if (c.image && !c.imagePullPolicy) c.imagePullPolicy = defaultImagePullPolicy(c.image);
  c.terminationMessagePath ||= DEFAULT_TERMINATION_MESSAGE_PATH;
  c.terminationMessagePolicy ??= 'File';
  for (const p of c.ports ?? []) p.protocol ??= 'TCP';
  defaultEnv(c.env);
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  defaultLifecycle(c.lifecycle);
}

export function defaultVolume(v: Volume): void {
  if (volumeSources(v).length === 0) v.emptyDir = {};
  if (v.configMap) v.configMap.defaultMode ??= DEFAULT_VOLUME_FILE_MODE;
  if (v.secret) v.secret.defaultMode ??= DEFAULT_VOLUME_FILE_MODE;
  if (v.projected) v.projected.defaultMode ??= DEFAULT_VOLUME_FILE_MODE;
  if (v.downwardAPI) v.downwardAPI.defaultMode ??= DEFAULT_VOLUME_FILE_MODE;
  if (v.hostPath) v.hostPath.type ??= '';
  for (const item of v.downwardAPI?.items ?? []) if (item.fieldRef) item.fieldRef.apiVersion ||= 'v1';
}

export interface PodSpecDefaultOptions {
  /** Default restartPolicy to Always. Jobs turn this off: their templates must choose OnFailure or Never. */
  restartPolicy?: boolean;
}

export function defaultPodSpec(spec: PodSpec, opts: PodSpecDefaultOptions = {}): void {
  if (opts.restartPolicy !== false) spec.restartPolicy ??= 'Always';
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.terminationGracePeriodSeconds ??= DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
  spec.schedulerName ||= DEFAULT_SCHEDULER_NAME;
  spec.securityContext ??= {};
  for (const c of spec.containers ?? []) defaultContainer(c);
  for (const c of spec.initContainers ?? []) defaultContainer(c);
  for (const c of spec.ephemeralContainers ?? []) defaultContainer(c);
  for (const v of spec.volumes ?? []) defaultVolume(v);
}

export function defaultPodTemplate(t: PodTemplateSpec | undefined, opts: PodSpecDefaultOptions = {}): void {
  if (t?.spec) defaultPodSpec(t.spec, opts);
}

/** Requests default to limits, per resource, when only the limit is given. */
function defaultRequestsFromLimits(c: Container): void {
  const limits = c.resources?.limits;
  if (!c.resources || !limits || Object.keys(limits).length === 0) return;
  const requests = (c.resources.requests ??= {});
  for (const [name, q] of Object.entries(limits)) if (!(name in requests)) requests[name] = q;
}

/** Defaults of a Pod object (not of templates). */
export function defaultPodObjectSpec(spec: PodSpec): void {
  defaultPodSpec(spec);
  spec.enableServiceLinks ??= true;
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    defaultRequestsFromLimits(c);
    // Under hostNetwork the container port is the host port.
    if (spec.hostNetwork) for (const p of c.ports ?? []) p.hostPort ??= p.containerPort;
  }
}
