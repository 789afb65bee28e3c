// PersistentVolumeClaim volumes: claim → PersistentVolume → a directory on this node.
//
// Contract (as Kubernetes' volume manager resolves a claim before it mounts anything):
// - the claim must exist, name its volume in spec.volumeName, and the volume's claimRef must point
//   back at that claim (namespace, name and uid). Until then the claim is "not bound yet": a
//   VolumeError, so the pod stays ContainerCreating with a FailedMount Warning and is retried;
// - the volume's source becomes the host directory: hostPath (type DirectoryOrCreate creates it,
//   Directory requires it, "" takes it as it is) or local (the path must exist). Other sources
//   need drivers this kubelet does not have;
// - `readOnly` on the pod's volume makes every mount of it read-only.
// The directory is the volume itself, not a per-pod copy: it outlives the pod, which is what a
// new pod on the same claim reads back.
import { stat, mkdir } from 'node:fs/promises';
import type { PersistentVolume, PersistentVolumeClaim } from '@kite/api-types';
import { VolumeError } from './errors.js';

/** Reads claims and volumes; each resolves undefined when the object does not exist. */
export interface ClaimSources {
  persistentVolumeClaim(namespace: string, name: string): Promise<PersistentVolumeClaim | undefined>;
  persistentVolume(name: string): Promise<PersistentVolume | undefined>;
}

/** hostPath types a PersistentVolume may use here: directories only, as Wasm preopens need. */
const DIRECTORY_HOST_PATH_TYPES: ReadonlySet<string> = new Set(['', 'DirectoryOrCreate', 'Directory']);

/** The bound volume of a claim, or a VolumeError saying what it still waits for. */
export async function boundVolume(src: ClaimSources, namespace: string, claimName: string): Promise<PersistentVolume> {
  const claim = await src.persistentVolumeClaim(namespace, claimName);
  if (!claim) throw new VolumeError(`persistentvolumeclaim "${claimName}" not found`);
  const volumeName = claim.spec?.volumeName;
  if (!volumeName) throw new VolumeError(`waiting for PersistentVolumeClaim ${namespace}/${claimName} to be bound (phase ${JSON.stringify(claim.status?.phase ?? 'Pending')}, empty spec.volumeName)`);
  const pv = await src.persistentVolume(volumeName);
  if (!pv) throw new VolumeError(`persistentvolume "${volumeName}" of claim ${namespace}/${claimName} not found`);
  const ref = pv.spec?.claimRef;
  if (!ref || ref.namespace !== namespace || ref.name !== claimName || ref.uid !== claim.metadata.uid) {
    throw new VolumeError(`waiting for PersistentVolumeClaim ${namespace}/${claimName} to be bound: persistentvolume "${volumeName}" is not bound to it (claimRef ${ref ? `${ref.namespace ?? ''}/${ref.name ?? ''} uid ${ref.uid ?? '""'}` : 'empty'})`);
  }
  return pv;
}

/** The host directory of a bound volume, created when its hostPath type says so. */
export async function volumeDirectory(pv: PersistentVolume): Promise<string> {
  const name = pv.metadata.name ?? '';
  const spec = pv.spec ?? {};
  if (spec.hostPath) {
    const type = spec.hostPath.type ?? '';
    if (!DIRECTORY_HOST_PATH_TYPES.has(type)) throw new VolumeError(`persistentvolume "${name}": hostPath type ${JSON.stringify(type)} is not supported (use DirectoryOrCreate, Directory or "")`);
    if (type === 'DirectoryOrCreate') await mkdir(spec.hostPath.path, { recursive: true });
    else if (type === 'Directory') await requireDirectory(name, spec.hostPath.path);
    return spec.hostPath.path;
  }
  if (spec.local) {
    await requireDirectory(name, spec.local.path);
    return spec.local.path;
  }
  throw new VolumeError(`persistentvolume "${name}": only hostPath and local volumes can be mounted on this node`);
}

async function requireDirectory(pvName: string, path: string): Promise<void> {
  const st = await stat(path).catch(() => undefined);
  if (!st) throw new VolumeError(`persistentvolume "${pvName}": path ${path} does not exist`);
  if (!st.isDirectory()) throw new VolumeError(`persistentvolume "${pvName}": path ${path} is not a directory`);
}

/** The directory a pod's claim volume mounts, and whether the pod asked for it read-only. */
export async function claimDirectory(src: Partial<ClaimSources>, namespace: string, claim: { claimName: string; readOnly?: boolean | undefined }): Promise<{ hostPath: string; forceReadOnly: boolean }> {
  if (!src.persistentVolumeClaim || !src.persistentVolume) throw new VolumeError('persistentVolumeClaim volumes: this kubelet cannot read claims');
  const pv = await boundVolume({ persistentVolumeClaim: src.persistentVolumeClaim, persistentVolume: src.persistentVolume }, namespace, claim.claimName);
  return { hostPath: await volumeDirectory(pv), forceReadOnly: Boolean(claim.readOnly) };
}
