// The default profile: every in-tree plugin, kube-scheduler's default weights.
import type { Profile } from '../framework/profile.js';
import { DEFAULT_SCHEDULER_NAME } from '../framework/profile.js';
import { NAME as INTER_POD_ANTI_AFFINITY } from './inter-pod-anti-affinity/inter-pod-anti-affinity.js';
import { NAME as NODE_AFFINITY } from './node-affinity/node-affinity.js';
import { NAME as NODE_PORTS } from './node-ports/node-ports.js';
import { NAME as NODE_READY } from './node-ready/node-ready.js';
import { NAME as BALANCED } from './node-resources/balanced-allocation.js';
import { NAME as FIT } from './node-resources/fit.js';
import { NAME as LEAST_ALLOCATED } from './node-resources/least-allocated.js';
import { NAME as NODE_UNSCHEDULABLE } from './node-unschedulable/node-unschedulable.js';
import { NAME as RUNTIME_CLASS } from './runtime-class/runtime-class.js';
import { NAME as SELECTOR_SPREAD } from './selector-spread/selector-spread.js';
import { NAME as TAINT_TOLERATION } from './taint-toleration/taint-toleration.js';
import { NAME as VOLUME_BINDING } from './volume-binding/volume-binding.js';

/**
 * The default profile. Filter order puts O(1) checks that reject whole classes of nodes first,
 * so a node fails fast; the weights follow kube-scheduler's defaults (taints 3, node affinity
 * and spreading 2, resources 1).
 */
export function defaultProfile(schedulerName = DEFAULT_SCHEDULER_NAME): Profile {
  return {
    schedulerName,
    filters: [NODE_READY, NODE_UNSCHEDULABLE, NODE_AFFINITY, RUNTIME_CLASS, TAINT_TOLERATION, FIT, NODE_PORTS, VOLUME_BINDING, INTER_POD_ANTI_AFFINITY],
    scores: [
      { name: TAINT_TOLERATION, weight: 3 },
      { name: NODE_AFFINITY, weight: 2 },
      { name: SELECTOR_SPREAD, weight: 2 },
      { name: LEAST_ALLOCATED, weight: 1 },
      { name: BALANCED, weight: 1 },
    ],
  };
}
