// Turns a container's CRI config into the job its Worker runs: argv, env, preopened mounts,
// listen addresses and workload kind.
// Conventions (documented in examples/wasm-pods/README.md):
// - argv = [command[0] or the image's file name, ...command[1:], ...args].
// - env = the resolved env, plus PWD = workingDir when one is set (preview1 has no cwd).
// - each mount is a preopened directory at containerPath; readOnly mounts refuse writes.
// - a core module with container ports is served WAGI-style on podIP:port for each TCP port;
//   without ports it runs to completion.
import { basename } from 'node:path';
import { checkWasmMount, type BinaryKind, type ContainerConfig, type PodSandboxConfig } from '@kite/cri';
import type { Preopen } from './wasi/preview1.js';
import type { ListenAddress, WorkloadKind } from './worker/protocol.js';

export function workloadKind(binary: BinaryKind, config: ContainerConfig, componentExportsHttp: boolean): WorkloadKind {
  if (binary === 'component') return componentExportsHttp ? 'http-component' : 'cli-component';
  return listenAddresses(config, '127.0.0.1').length > 0 ? 'wagi' : 'command';
}

export function guestArgs(config: ContainerConfig): string[] {
  const [first, ...rest] = config.command;
  return [first ?? basename(config.image), ...rest, ...config.args];
}

export function guestEnv(config: ContainerConfig): Array<[string, string]> {
  const env: Array<[string, string]> = config.env.map((e) => [e.name, e.value]);
  if (config.workingDir) env.push(['PWD', config.workingDir]);
  return env;
}

export function preopens(config: ContainerConfig): Preopen[] {
  return config.mounts.map((mount) => {
    checkWasmMount(mount);
    return { guestPath: mount.containerPath, hostPath: mount.hostPath, readOnly: mount.readOnly };
  });
}

export function listenAddresses(config: ContainerConfig, podIP: PodSandboxConfig['podIP']): ListenAddress[] {
  return config.ports.filter((p) => (p.protocol ?? 'TCP') === 'TCP').map((p) => ({ host: podIP, port: p.containerPort }));
}
