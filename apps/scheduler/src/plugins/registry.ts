// The in-tree registry: one flat map from plugin name to factory. A profile names the plugins it
// enables; adding a plugin means adding one line here.
import type { PluginFactory } from '../framework/interface.js';
import * as interPodAntiAffinity from './inter-pod-anti-affinity/inter-pod-anti-affinity.js';
import * as nodeAffinity from './node-affinity/node-affinity.js';
import * as nodePorts from './node-ports/node-ports.js';
import * as nodeReady from './node-ready/node-ready.js';
import * as balanced from './node-resources/balanced-allocation.js';
import * as fit from './node-resources/fit.js';
import * as leastAllocated from './node-resources/least-allocated.js';
import * as nodeUnschedulable from './node-unschedulable/node-unschedulable.js';
import * as runtimeClass from './runtime-class/runtime-class.js';
import * as selectorSpread from './selector-spread/selector-spread.js';
import * as taintToleration from './taint-toleration/taint-toleration.js';
import * as volumeBinding from './volume-binding/volume-binding.js';

export type Registry = ReadonlyMap<string, PluginFactory>;

export const inTreeRegistry: Registry = new Map<string, PluginFactory>([
  [nodeReady.NAME, nodeReady.newNodeReady],
  [nodeUnschedulable.NAME, nodeUnschedulable.newNodeUnschedulable],
  [taintToleration.NAME, taintToleration.newTaintToleration],
  [runtimeClass.NAME, runtimeClass.newRuntimeClass],
  [nodeAffinity.NAME, nodeAffinity.newNodeAffinity],
  [fit.NAME, fit.newNodeResourcesFit],
  [nodePorts.NAME, nodePorts.newNodePorts],
  [interPodAntiAffinity.NAME, interPodAntiAffinity.newInterPodAntiAffinity],
  [leastAllocated.NAME, leastAllocated.newNodeResourcesLeastAllocated],
  [balanced.NAME, balanced.newNodeResourcesBalancedAllocation],
  [selectorSpread.NAME, selectorSpread.newSelectorSpread],
  [volumeBinding.NAME, volumeBinding.newVolumeBinding],
]);
