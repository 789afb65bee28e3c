// The pod sandbox as a Docker container, as dockershim built it: a container that only sleeps and
// holds the pod's network and IPC namespaces, which the pod's containers join. Its ports are the
// pod's container ports, published on the pod IP (BRIEF §5: HostIp = pod IP, HostPort =
// containerPort), so probes and the proxy reach a Docker pod at podIP:port like a Wasm pod.
import type Dockerode from 'dockerode';
import { RuntimeError } from '@kite/cri';
import type { ContainerPort, PodSandboxConfig } from '@kite/cri';
import { sandboxLabels, sandboxName, type DockerScope } from './labels.js';

/** The sandbox image, built locally from busybox (local-images.ts), never pulled. */
export const DEFAULT_SANDBOX_IMAGE = 'kite.local/pause:1';
/** Its command: sleep for 68 years. busybox `sleep` takes no "infinity". */
export const SANDBOX_COMMAND = ['/bin/sleep', '2147483647'];

/** Only addresses of this machine's loopback may be bound (BRIEF §5). */
export function isLoopbackIPv4(ip: string): boolean {
  const parts = ip.split('.');
  return parts.length === 4 && parts[0] === '127' && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

/** `8080/tcp`, as the engine keys exposed ports. */
export function portKey(p: ContainerPort): string {
  return `${p.containerPort}/${(p.protocol ?? 'TCP').toLowerCase()}`;
}

export function sandboxCreateOptions(scope: DockerScope, config: PodSandboxConfig, image: string): Dockerode.ContainerCreateOptions {
  if (!isLoopbackIPv4(config.podIP)) throw new RuntimeError('InvalidArgument', `pod IP ${config.podIP} is not an IPv4 loopback address (127.0.0.0/8)`);
  const exposed: Record<string, object> = {};
  const bindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  for (const p of config.portMappings ?? []) {
    exposed[portKey(p)] = {};
    bindings[portKey(p)] = [{ HostIp: config.podIP, HostPort: String(p.containerPort) }];
  }
  return {
    name: sandboxName(config),
    Image: image,
    Cmd: SANDBOX_COMMAND,
    Hostname: config.name.slice(0, 63),
    Labels: sandboxLabels(scope, config),
    ExposedPorts: exposed,
    // Sleep ignores SIGTERM as PID 1, and there is nothing to shut down gracefully.
    StopSignal: 'SIGKILL',
    HostConfig: {
      NetworkMode: 'bridge',
      PortBindings: bindings,
      // The pod's containers join this IPC namespace, which must be shareable to be joined.
      IpcMode: 'shareable',
      RestartPolicy: { Name: 'no' },
    },
  };
}
