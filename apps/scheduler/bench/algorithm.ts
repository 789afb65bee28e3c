// The decision alone, in-process and without I/O: how long schedulePod takes per pod at a given
// cluster size (filter a sample, score, select, assume). Separates the scheduler's own algorithm
// from HTTP and the apiserver. Usage: tsx bench/algorithm.ts [nodes] [pods]
import { SchedulerCache } from '../src/cache/cache.js';
import { Framework } from '../src/framework/framework.js';
import { podInfoFor } from '../src/framework/pod-info.js';
import { defaultProfile } from '../src/plugins/default-profile.js';
import { inTreeRegistry } from '../src/plugins/registry.js';
import { schedulePod } from '../src/schedule/schedule-pod.js';
import { benchNode, benchPod } from './objects.js';

export interface AlgorithmResult {
  nodes: number;
  pods: number;
  /** Wall time per pod; on a busy machine this includes waiting for a core. */
  usPerPod: number;
  /** CPU time per pod (user + system), which other load on the machine does not inflate. */
  cpuUsPerPod: number;
  unscheduled: number;
}

export function runAlgorithm(nodes: number, pods: number): AlgorithmResult {
  const cache = new SchedulerCache();
  for (let i = 0; i < nodes; i++) cache.upsertNode(benchNode(i));
  const framework = new Framework({ profile: defaultProfile(), registry: inTreeRegistry, handle: cache });
  const infos = Array.from({ length: pods }, (_, i) => podInfoFor(benchPod(i)));
  let start = 0;
  let unscheduled = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (const info of infos) {
    const out = schedulePod({ framework, nodes: cache.nodeList(), percentageOfNodesToScore: 0, startIndex: start }, info);
    start = out.nextStartIndex;
    if ('result' in out) cache.assumePod(info, out.result.nodeName);
    else unscheduled++;
  }
  const cpu = process.cpuUsage(c0);
  return { nodes, pods, usPerPod: ((performance.now() - t0) * 1000) / pods, cpuUsPerPod: (cpu.user + cpu.system) / pods, unscheduled };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const nodes = Number(process.argv[2] ?? 1000);
  const pods = Number(process.argv[3] ?? 10000);
  runAlgorithm(nodes, Math.min(pods, 2000)); // warm up the JIT
  console.log(JSON.stringify(runAlgorithm(nodes, pods)));
}
