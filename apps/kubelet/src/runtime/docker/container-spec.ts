// One of a pod's containers as a Docker container: the ContainerConfig the kubelet resolved
// (command, args, env, working dir, mounts, limits, security context) mapped onto the engine's
// create options, joined to its sandbox's network and IPC namespaces.
//
// Kubernetes' command/args rules hold because the engine merges like this: `command` replaces
// the image's ENTRYPOINT and drops its CMD; `args` alone replaces only CMD.
import type Dockerode from 'dockerode';
import type { ContainerConfig, PodSandboxConfig } from '@kite/cri';
import { containerLabels, containerName, type DockerScope } from './labels.js';

/** Kubernetes' smallest CPU weight (a pod without CPU requests: BestEffort). */
export const MIN_CPU_SHARES = 2;
/** cgroup CPU shares for one whole core (1000 millicores). */
const SHARES_PER_CPU = 1024;
/** Each container's own json-file log, read by the log pump: bounded on disk. */
const ENGINE_LOG = { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '2' } };

export interface ContainerSpecInput {
  scope: DockerScope;
  sandboxId: string;
  sandbox: PodSandboxConfig;
  config: ContainerConfig;
  /** Absolute path of the CRI-format log file. */
  logPath: string;
}

/** Kubernetes' milliCPUToShares: requests as a relative weight (limits when no request is set). */
export function cpuShares(config: ContainerConfig): number {
  const millis = config.cpuRequestMillis ?? config.cpuLimitMillis;
  if (millis === undefined || millis <= 0) return MIN_CPU_SHARES;
  return Math.max(MIN_CPU_SHARES, Math.floor((millis * SHARES_PER_CPU) / 1000));
}

function user(config: ContainerConfig): string | undefined {
  if (config.runAsUser === undefined) return config.runAsGroup === undefined ? undefined : `0:${config.runAsGroup}`;
  return config.runAsGroup === undefined ? String(config.runAsUser) : `${config.runAsUser}:${config.runAsGroup}`;
}

function hostConfig(input: ContainerSpecInput): Dockerode.HostConfig {
  const { config, sandboxId } = input;
  const memory = config.memoryLimitBytes;
  return {
    NetworkMode: `container:${sandboxId}`,
    IpcMode: `container:${sandboxId}`,
    Mounts: config.mounts.map((m) => ({ Type: 'bind', Source: m.hostPath, Target: m.containerPath, ReadOnly: m.readOnly })),
    // No swap beyond the limit, so a container over its limit is OOM-killed as in Kubernetes.
    ...(memory !== undefined ? { Memory: memory, MemorySwap: memory } : {}),
    ...(config.cpuLimitMillis !== undefined ? { NanoCpus: config.cpuLimitMillis * 1_000_000 } : {}),
    CpuShares: cpuShares(config),
    ReadonlyRootfs: Boolean(config.readOnlyRootFilesystem),
    RestartPolicy: { Name: 'no' },
    LogConfig: ENGINE_LOG,
  };
}

export function containerCreateOptions(input: ContainerSpecInput): Dockerode.ContainerCreateOptions {
  const { config, sandbox } = input;
  const runAs = user(config);
  return {
    name: containerName(sandbox.name, sandbox.namespace, sandbox.uid, config.name, config.attempt ?? 0),
    Image: config.image,
    ...(config.command.length > 0 ? { Entrypoint: config.command } : {}),
    ...(config.args.length > 0 ? { Cmd: config.args } : {}),
    Env: config.env.map((e) => `${e.name}=${e.value}`),
    ...(config.workingDir ? { WorkingDir: config.workingDir } : {}),
    ...(runAs !== undefined ? { User: runAs } : {}),
    Labels: containerLabels(input.scope, input.sandboxId, sandbox, config, input.logPath),
    Tty: false,
    OpenStdin: false,
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    HostConfig: hostConfig(input),
  };
}
