// The objects scheduler_perf's SchedulingBasic workload uses, in kite's shape: nodes with 4 cores,
// 32 GiB and 110 pods (Ready, both runtimes, a hostname label), and pods asking 100m and 500Mi.
import type { Node, Pod } from '@kite/api-types';
import { RUNTIME_DOCKER, RUNTIME_WASM, runtimeLabel } from '../src/plugins/runtime-class/runtime-class.js';

export const BENCH_NAMESPACE = 'default';

export function benchNode(i: number): Node {
  const name = `node-${String(i).padStart(5, '0')}`;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, [runtimeLabel(RUNTIME_DOCKER)]: 'true', [runtimeLabel(RUNTIME_WASM)]: 'true' } },
    spec: {},
    status: {
      capacity: { cpu: '4', memory: '32Gi', pods: '110' },
      allocatable: { cpu: '4', memory: '32Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
    },
  };
}

export function benchPod(i: number): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `pod-${String(i).padStart(6, '0')}`, namespace: BENCH_NAMESPACE, labels: { app: 'bench' } },
    spec: { containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '100m', memory: '500Mi' } } }] },
  };
}
