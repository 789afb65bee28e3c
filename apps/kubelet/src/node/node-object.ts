// Builds this node's Node object: capacity, allocatable, addresses, node info, the runtimes it
// offers (as labels the scheduler filters on, and as status.runtimeHandlers) and the Ready condition.
import { cpus, totalmem, hostname, release } from 'node:os';
import { RUNTIME_DOCKER, RUNTIME_WASM, type Node } from '@kite/api-types';
import { RUNTIME_LABEL_PREFIX, type KubeletConfig } from '../config.js';

/** The machine's own size, used when no capacity flags are given. */
export function machineCapacity(): { cpu: string; memory: string } {
  return { cpu: String(cpus().length), memory: `${Math.floor(totalmem() / 1024)}Ki` };
}

export function nodeLabels(cfg: KubeletConfig): Record<string, string> {
  const labels: Record<string, string> = {
    'kubernetes.io/hostname': cfg.nodeName,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': process.arch === 'x64' ? 'amd64' : process.arch,
  };
  for (const r of offeredHandlers(cfg)) labels[`${RUNTIME_LABEL_PREFIX}${r}`] = 'true';
  return labels;
}

/** The handlers a node advertises: what it runs, and on a hollow node that accepts any pod, wasm and docker too. */
export function offeredHandlers(cfg: KubeletConfig): string[] {
  const handlers = new Set(cfg.runtimes);
  if (cfg.acceptAnyPod) for (const h of [RUNTIME_WASM, RUNTIME_DOCKER]) handlers.add(h);
  return [...handlers];
}

export function readyCondition(ready: boolean, message: string, now: string) {
  return {
    type: 'Ready',
    status: ready ? ('True' as const) : ('False' as const),
    reason: ready ? 'KubeletReady' : 'KubeletNotReady',
    message,
    lastHeartbeatTime: now,
    lastTransitionTime: now,
  };
}

export function nodeObject(cfg: KubeletConfig, now: string): Node {
  const capacity = { cpu: cfg.capacity.cpu, memory: cfg.capacity.memory, pods: cfg.capacity.pods };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: cfg.nodeName, labels: nodeLabels(cfg) },
    spec: cfg.podCIDR ? { podCIDR: cfg.podCIDR, podCIDRs: [cfg.podCIDR] } : {},
    status: {
      capacity,
      allocatable: capacity,
      addresses: [
        { type: 'InternalIP', address: cfg.nodeIP },
        { type: 'Hostname', address: cfg.nodeName },
      ],
      // Ready only once the kubelet can run pods; the kubelet flips it when it has a pod CIDR.
      conditions: [readyCondition(false, 'kubelet is starting: waiting for a pod CIDR and its runtimes', now)],
      daemonEndpoints: { kubeletEndpoint: { Port: cfg.port } },
      // As Kubernetes 1.30+ reports the CRI's handlers (features are not negotiated here).
      runtimeHandlers: offeredHandlers(cfg).map((name) => ({ name, features: {} })),
      nodeInfo: {
        machineID: hostname(),
        systemUUID: cfg.nodeName,
        bootID: String(process.pid),
        kernelVersion: release(),
        osImage: 'kite',
        containerRuntimeVersion: cfg.runtimes.map((r) => `${r}://kite`).join(','),
        kubeletVersion: 'v1.32.0-kite',
        kubeProxyVersion: 'v1.32.0-kite',
        operatingSystem: 'linux',
        architecture: process.arch === 'x64' ? 'amd64' : process.arch,
      },
    },
  } as Node;
}
