// The Docker labels that tie every container this runtime creates back to its node, its pod and
// its role, so that a restarted kubelet can rebuild its view from the engine alone (BRIEF §4):
// listPodSandboxes and listContainers are label queries, and a sandbox's whole PodSandboxConfig
// travels in one JSON label. Keys follow dockershim's `io.kubernetes.*` names where Kubernetes
// has one, `io.kite.*` for the rest.
//
// Scope: several kubelets may share one engine (a local cluster, parallel tests). Each only ever
// sees containers carrying its own node name and root directory.
import { randomBytes } from 'node:crypto';
import type { ContainerConfig, PodSandboxConfig } from '@kite/cri';

export const Label = {
  /** 'true' on everything this runtime creates. */
  Managed: 'io.kite.managed',
  /** 'sandbox' or 'container'. */
  Kind: 'io.kite.kind',
  /** The node (kubelet) the container belongs to. */
  Node: 'io.kite.node',
  /** The kubelet's root directory: with the node name, the kubelet's scope on a shared engine. */
  KubeletRoot: 'io.kite.kubelet-root',
  PodUid: 'io.kubernetes.pod.uid',
  PodName: 'io.kubernetes.pod.name',
  PodNamespace: 'io.kubernetes.pod.namespace',
  ContainerName: 'io.kubernetes.container.name',
  /** How many times the kubelet restarted this container before (CRI's metadata.attempt). */
  Attempt: 'io.kubernetes.container.restart-attempt',
  /** On containers: the id of their sandbox container. */
  SandboxId: 'io.kite.sandbox-id',
  /** On sandboxes: the PodSandboxConfig as JSON. */
  SandboxConfig: 'io.kite.sandbox-config',
  /** On containers: the absolute path of the CRI-format log file. */
  LogPath: 'io.kite.log-path',
  /** On containers: the image reference as the pod spec names it. */
  Image: 'io.kite.image',
} as const;

export type ContainerKind = 'sandbox' | 'container';

export interface DockerScope {
  node: string;
  kubeletRoot: string;
}

/** Docker `label=` filters selecting one kind of container of one kubelet. */
export function scopeFilters(scope: DockerScope, kind: ContainerKind, extra: Record<string, string> = {}): string[] {
  const wanted: Record<string, string> = { [Label.Managed]: 'true', [Label.Kind]: kind, [Label.Node]: scope.node, [Label.KubeletRoot]: scope.kubeletRoot, ...extra };
  return Object.entries(wanted).map(([k, v]) => `${k}=${v}`);
}

/** Whether a container's labels put it in this kubelet's scope, as the given kind. */
export function inScope(labels: Record<string, string> | undefined, scope: DockerScope, kind: ContainerKind): boolean {
  return labels?.[Label.Managed] === 'true' && labels[Label.Kind] === kind && labels[Label.Node] === scope.node && labels[Label.KubeletRoot] === scope.kubeletRoot;
}

function scopeLabels(scope: DockerScope, kind: ContainerKind): Record<string, string> {
  return { [Label.Managed]: 'true', [Label.Kind]: kind, [Label.Node]: scope.node, [Label.KubeletRoot]: scope.kubeletRoot };
}

export function sandboxLabels(scope: DockerScope, config: PodSandboxConfig): Record<string, string> {
  return {
    ...scopeLabels(scope, 'sandbox'),
    [Label.PodUid]: config.uid,
    [Label.PodName]: config.name,
    [Label.PodNamespace]: config.namespace,
    [Label.SandboxConfig]: JSON.stringify(config),
  };
}

export function containerLabels(scope: DockerScope, sandboxId: string, sandbox: PodSandboxConfig, config: ContainerConfig, logPath: string): Record<string, string> {
  return {
    ...(config.labels ?? {}),
    ...scopeLabels(scope, 'container'),
    [Label.PodUid]: sandbox.uid,
    [Label.PodName]: sandbox.name,
    [Label.PodNamespace]: sandbox.namespace,
    [Label.ContainerName]: config.name,
    [Label.Attempt]: String(config.attempt ?? 0),
    [Label.SandboxId]: sandboxId,
    [Label.LogPath]: logPath,
    [Label.Image]: config.image,
  };
}

/** The PodSandboxConfig stored on a sandbox, or undefined if the label is missing or mangled. */
export function sandboxConfigOf(labels: Record<string, string> | undefined): PodSandboxConfig | undefined {
  const raw = labels?.[Label.SandboxConfig];
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as PodSandboxConfig;
    return typeof parsed.uid === 'string' && typeof parsed.podIP === 'string' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Docker names allow [a-zA-Z0-9_.-]; anything else becomes '-'. */
const safe = (s: string) => s.replace(/[^a-zA-Z0-9_.-]/g, '-');

/**
 * dockershim-style names (`k8s_CONTAINER_POD_NAMESPACE_UID_ATTEMPT`), so `docker ps` reads like
 * the cluster, plus a short random suffix so a leftover container never blocks a new one.
 */
export function containerName(podName: string, namespace: string, uid: string, container: string, attempt: number): string {
  return safe(`k8s_${container}_${podName}_${namespace}_${uid}_${attempt}_${randomBytes(3).toString('hex')}`);
}

/** The sandbox is the pod's `POD` container, as in dockershim. */
export function sandboxName(config: PodSandboxConfig): string {
  return containerName(config.name, config.namespace, config.uid, 'POD', 0);
}
