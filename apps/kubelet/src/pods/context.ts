// What the pod lifecycle code needs from the rest of the kubelet, in one object, so each step
// takes one parameter and tests can build it from real parts.
import type { KubeClient } from '@kite/client';
import type { Logger } from '@kite/component-base';
import type { KubeletConfig } from '../config.js';
import type { PodIpam } from '../network/ipam.js';
import type { PodObj } from '../objects.js';
import type { ContainerRuntime, RuntimeName } from '@kite/cri';
import type { VolumeSources } from '../volumes/volumes.js';
import type { ContainerBackoffs } from './backoff.js';
import type { HandlerLookup } from './runtime-class.js';
import type { EnvVar } from '@kite/cri';

export type EventType = 'Normal' | 'Warning';

export interface KubeletContext {
  cfg: KubeletConfig;
  client: KubeClient;
  log: Logger;
  runtimes: Map<RuntimeName, ContainerRuntime>;
  /** The runtime handler a pod runs on (its RuntimeClass's handler, or inferred from its images). */
  handlerFor(pod: PodObj): HandlerLookup;
  ipam: () => PodIpam;
  sources: VolumeSources;
  /** Records an Event about the pod. */
  event(pod: PodObj, type: EventType, reason: string, message: string): void;
  /** Service discovery variables for pods of a namespace (NAME_SERVICE_HOST, ...). */
  serviceEnv(namespace: string): EnvVar[];
  /** Asks for another sync of this pod after `ms`. */
  requeue(uid: string, ms: number): void;
  /** Crash-loop and image-pull back-off of every container, by pod uid and container name. */
  backoff: ContainerBackoffs;
}

/** Kubelet event reasons, as Kubernetes names them. */
export const Reasons = {
  Pulled: 'Pulled',
  Failed: 'Failed',
  BackOff: 'BackOff',
  Created: 'Created',
  Started: 'Started',
  Killing: 'Killing',
  Unhealthy: 'Unhealthy',
  FailedMount: 'FailedMount',
  UnsupportedRuntime: 'UnsupportedRuntime',
  FailedCreatePodSandBox: 'FailedCreatePodSandBox',
  OutOfResources: 'OutOfResources',
} as const;

/** Waiting reasons shown in container statuses. */
export const Waiting = {
  ContainerCreating: 'ContainerCreating',
  PodInitializing: 'PodInitializing',
  ErrImagePull: 'ErrImagePull',
  ImagePullBackOff: 'ImagePullBackOff',
  CrashLoopBackOff: 'CrashLoopBackOff',
  CreateContainerConfigError: 'CreateContainerConfigError',
  CreateContainerError: 'CreateContainerError',
  InvalidImageName: 'InvalidImageName',
  /** The image is missing and imagePullPolicy is Never. */
  ErrImageNeverPull: 'ErrImageNeverPull',
} as const;
