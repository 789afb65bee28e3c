// After a kubelet restart: takes over what the runtimes already run (sandboxes and containers of
// pods still bound here), so nothing runs twice, and removes sandboxes of pods that are gone.
// Restart counts come back from the pod's last reported status; each container's state from what
// the runtime says its instance does (probe results come again from the probers).
import type { PodIpam } from '../network/ipam.js';
import type { PodObj } from '../objects.js';
import type { KubeletContext } from './context.js';
import { adoptedState, containerRecord, terminalFromApi, type PodRecord } from './records.js';

export async function adoptRuntimeState(ctx: KubeletContext, records: Map<string, PodRecord>, pods: readonly PodObj[], ipam: PodIpam): Promise<void> {
  const byUid = new Map(pods.map((p) => [p.metadata.uid ?? '', p]));
  for (const runtime of ctx.runtimes.values()) {
    for (const sb of await runtime.listPodSandboxes()) {
      const pod = byUid.get(sb.config.uid);
      if (!pod) {
        ctx.log.info({ sandbox: sb.id, pod: `${sb.config.namespace}/${sb.config.name}` }, 'removing sandbox of a pod that is gone');
        await runtime.removePodSandbox(sb.id);
        continue;
      }
      const rec: PodRecord = records.get(sb.config.uid) ?? { uid: sb.config.uid, key: `${sb.config.namespace}/${sb.config.name}`, initDone: [], containers: new Map(), ...terminalFromApi(pod) };
      rec.sandboxId = sb.id;
      rec.podIP = sb.config.podIP;
      if (pod.status?.startTime) rec.startTime = pod.status.startTime;
      // A finished pod's stopped sandbox gave its IP back: another pod may hold it now.
      if (rec.terminal && sb.state !== 'ready') rec.networkReleased = true;
      else ipam.reserve(sb.config.podIP, rec.uid);
      const containers = (await runtime.listContainers({ sandboxId: sb.id })).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
      const previous = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
      for (const c of containers) {
        const crec = containerRecord(rec, c.name, previous.find((s) => s.name === c.name));
        crec.id = c.id;
        crec.state = adoptedState(c);
      }
      for (const s of pod.status?.initContainerStatuses ?? []) if (s.state?.terminated?.exitCode === 0) rec.initDone.push(s.name);
      records.set(rec.uid, rec);
      ctx.log.info({ pod: rec.key, sandbox: sb.id, containers: containers.length }, 'adopted running pod');
    }
  }
}
