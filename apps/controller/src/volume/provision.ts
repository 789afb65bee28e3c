// Carrying out a 'provision' decision (pv_controller's provisionClaim): the claim is annotated
// with the provisioner expected to serve it; the built-in local-path provisioner then creates the
// PV (pre-bound to the claim, so the next claim sync binds it), and any other provisioner is left
// to an external controller (ExternalProvisioning Event, as Kubernetes does for CSI drivers).
// A volume that cannot be made is a Warning ProvisioningFailed Event on the claim, which stays
// Pending and is tried again at the next resync.
import type { PersistentVolumeClaim, StorageClass } from '@kite/api-types';
import { isAlreadyExists, isNotFound } from '@kite/apimachinery';
import type { DeepReadonly } from '@kite/client';
import { EVENT_NORMAL, EVENT_WARNING } from '../framework/events.js';
import { claimApi, copy, volumeApi, type BinderDeps } from './binder-deps.js';
import { planLocalPathVolume, provisionedVolumeName } from './local-path.js';
import {
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_STORAGE_PROVISIONER,
  EVENT_EXTERNAL_PROVISIONING,
  EVENT_PROVISIONING_FAILED,
  EVENT_PROVISIONING_SUCCEEDED,
  HOSTNAME_LABEL,
  LOCAL_PATH_PROVISIONER,
} from './names.js';

type PVC = DeepReadonly<PersistentVolumeClaim>;
type SC = DeepReadonly<StorageClass>;

const externalMessage = (provisioner: string): string =>
  `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`;

/** Annotates the claim with its provisioner unless it already says so; returns the claim to go on with. */
async function annotateProvisioner(deps: BinderDeps, claim: PVC, provisioner: string): Promise<PVC> {
  const annotations = claim.metadata.annotations ?? {};
  if (annotations[ANN_STORAGE_PROVISIONER] === provisioner && annotations[ANN_BETA_STORAGE_PROVISIONER] === provisioner) return claim;
  const pvc = copy<PersistentVolumeClaim>(claim);
  pvc.metadata.annotations = { ...pvc.metadata.annotations, [ANN_STORAGE_PROVISIONER]: provisioner, [ANN_BETA_STORAGE_PROVISIONER]: provisioner };
  return claimApi(deps).update(pvc);
}

async function volumeExists(deps: BinderDeps, name: string): Promise<boolean> {
  if (deps.volumes.get(name)) return true;
  try {
    await volumeApi(deps).get(name);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

export async function provision(deps: BinderDeps, claim: PVC, sc: SC, node: string | undefined): Promise<void> {
  const current = await annotateProvisioner(deps, claim, sc.provisioner);
  if (sc.provisioner !== LOCAL_PATH_PROVISIONER) {
    deps.recorder.event(current, EVENT_NORMAL, EVENT_EXTERNAL_PROVISIONING, externalMessage(sc.provisioner));
    return;
  }
  if (await volumeExists(deps, provisionedVolumeName(current))) return;
  const hostname = node ? deps.nodes.get(node)?.metadata.labels?.[HOSTNAME_LABEL] : undefined;
  const plan = planLocalPathVolume(current, sc, node, hostname, deps.localPath);
  if ('error' in plan) {
    deps.recorder.event(current, EVENT_WARNING, EVENT_PROVISIONING_FAILED, `Failed to provision volume with StorageClass ${JSON.stringify(sc.metadata.name ?? '')}: ${plan.error}`);
    return;
  }
  try {
    await volumeApi(deps).create(plan.volume);
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
  deps.recorder.event(current, EVENT_NORMAL, EVENT_PROVISIONING_SUCCEEDED, `Successfully provisioned volume ${plan.volume.metadata.name ?? ''} using ${LOCAL_PATH_PROVISIONER}`);
}
