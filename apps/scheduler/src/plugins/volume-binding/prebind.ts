// PreBind of VolumeBinding: make the node decision real, then wait for the binder.
//
//   1. each chosen static volume gets spec.claimRef to its claim (the binder completes the pair);
//   2. each claim to provision gets volume.kubernetes.io/selected-node=<node> (the provisioner of
//      its class reacts, as Kubernetes' external provisioners do);
//   3. poll the informer caches until every claim names a volume whose claimRef names it back.
// It fails (Error: the pod is unreserved and retried with back-off) when a claim vanishes, when
// the provisioner gives up (it removes selected-node to ask for another node), when a volume
// bound meanwhile cannot be reached from the node, or after the bind timeout.
import { setTimeout as sleep } from 'node:timers/promises';
import { asError, Code, Status, SUCCESS } from '../../framework/status.js';
import type { PvcObj, VolumeAccess } from '../../framework/volumes.js';
import { claimBound, SELECTED_NODE_ANNOTATION, volumeReachable } from './claims.js';
import type { NodeDecision } from './volume-binding.js';

/** How often the caches are checked while waiting for the binder. */
export const BIND_POLL_MS = 200;
/** kube-scheduler's --bind-timeout-seconds default. */
export const DEFAULT_BIND_TIMEOUT_SECONDS = 600;

export interface BindRequest {
  access: VolumeAccess;
  decision: NodeDecision;
  signal: AbortSignal;
}

const failed = (message: string): Status => new Status(Code.Error, [`binding volumes: ${message}`]);

async function writeDecision(req: BindRequest): Promise<void> {
  const { access, decision } = req;
  const nodeName = decision.node.name;
  for (const { claim, volume } of decision.staticBindings) {
    if (volume.spec?.claimRef?.uid === claim.metadata.uid) continue;
    await access.setClaimRef(volume.metadata.name ?? '', claim);
  }
  for (const claim of decision.provision) {
    if (claim.metadata.annotations?.[SELECTED_NODE_ANNOTATION] === nodeName) continue;
    await access.annotateClaim(claim.metadata.namespace ?? '', claim.metadata.name ?? '', SELECTED_NODE_ANNOTATION, nodeName);
  }
}

/**
 * undefined when every claim is bound; a failure; or 'wait'. `annotated` collects the claims the
 * cache has shown with selected-node: only a claim seen with it and then without it means the
 * provisioner gave up (right after the write, the cache may not show the annotation yet).
 */
export function checkBindings(req: BindRequest, annotated: Set<string>): Status | undefined | 'wait' {
  const { access, decision } = req;
  let pending = false;
  const check = (c: PvcObj, provisioned: boolean): Status | undefined => {
    const ns = c.metadata.namespace ?? '';
    const name = c.metadata.name ?? '';
    const now = access.claim(ns, name);
    if (!now || now.metadata.uid !== c.metadata.uid) return failed(`persistentvolumeclaim "${name}" not found`);
    const pv = claimBound(now, access);
    if (!pv) {
      const selected = now.metadata.annotations?.[SELECTED_NODE_ANNOTATION] !== undefined;
      if (selected) annotated.add(name);
      else if (provisioned && annotated.has(name) && !now.spec?.volumeName) return failed(`provisioning failed for PVC "${name}"`);
      pending = true;
      return undefined;
    }
    if (volumeReachable(pv, decision.node)) return undefined;
    return failed(`persistentvolume "${pv.metadata.name ?? ''}" bound to PVC "${name}" is not reachable from node ${decision.node.name}`);
  };
  for (const { claim } of decision.staticBindings) {
    const s = check(claim, false);
    if (s) return s;
  }
  for (const claim of decision.provision) {
    const s = check(claim, true);
    if (s) return s;
  }
  return pending ? 'wait' : undefined;
}

export async function bindPodVolumes(req: BindRequest): Promise<Status> {
  try {
    await writeDecision(req);
  } catch (err) {
    return asError(err);
  }
  const deadline = Date.now() + req.access.bindTimeoutMs;
  const annotated = new Set<string>();
  for (;;) {
    const s = checkBindings(req, annotated);
    if (s !== 'wait') return s ?? SUCCESS;
    if (req.signal.aborted) return failed('scheduler stopping');
    if (Date.now() >= deadline) return failed('context deadline exceeded');
    await sleep(BIND_POLL_MS, undefined, { signal: req.signal }).catch(() => undefined);
  }
}
