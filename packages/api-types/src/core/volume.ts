// Pod volumes: a name plus exactly one source. The common sources are modelled; other sources
// (nfs, csi, ...) pass the schema unchanged so real manifests still load.
import { Type, type Static } from '@sinclair/typebox';
import { Quantity } from '../quantity.js';
import { AtomicList, OptBool, OptInt, OptString } from '../schema.js';
import { ObjectFieldSelector, ResourceFieldSelector } from './container.js';

export const KeyToPath = Type.Object(
  { key: Type.String(), path: Type.String({ description: 'Relative path of the file to map the key to.' }), mode: OptInt('File mode bits.') },
  { description: 'A key of a ConfigMap or Secret projected to a file path.' },
);
export type KeyToPath = Static<typeof KeyToPath>;

export const EmptyDirVolumeSource = Type.Object(
  { medium: OptString("Storage medium: '' (node disk) or 'Memory'."), sizeLimit: Type.Optional(Quantity) },
  { description: 'A directory that starts empty and lives as long as the pod.' },
);

export const HostPathVolumeSource = Type.Object(
  { path: Type.String({ description: 'Path on the node.' }), type: OptString("'', DirectoryOrCreate, Directory, FileOrCreate, File, Socket, CharDevice or BlockDevice.") },
  { description: 'A file or directory of the node.' },
);

export const ConfigMapVolumeSource = Type.Object(
  { name: OptString('Name of the ConfigMap.'), items: Type.Optional(AtomicList(KeyToPath)), defaultMode: OptInt('Mode bits of created files; defaults to 0644.'), optional: OptBool() },
  { description: 'The keys of a ConfigMap as files.' },
);

export const SecretVolumeSource = Type.Object(
  { secretName: OptString('Name of the Secret.'), items: Type.Optional(AtomicList(KeyToPath)), defaultMode: OptInt('Mode bits of created files; defaults to 0644.'), optional: OptBool() },
  { description: 'The keys of a Secret as files.' },
);

export const PersistentVolumeClaimVolumeSource = Type.Object(
  { claimName: Type.String({ description: 'Name of a PersistentVolumeClaim in the pod namespace.' }), readOnly: OptBool() },
  { description: 'The volume bound to a PersistentVolumeClaim.' },
);

export const DownwardAPIVolumeFile = Type.Object({
  path: Type.String(),
  fieldRef: Type.Optional(ObjectFieldSelector),
  resourceFieldRef: Type.Optional(ResourceFieldSelector),
  mode: OptInt(),
});

export const DownwardAPIVolumeSource = Type.Object(
  { items: Type.Optional(AtomicList(DownwardAPIVolumeFile)), defaultMode: OptInt('Mode bits of created files; defaults to 0644.') },
  { description: 'Pod fields and resources as files.' },
);

const ProjectedConfigMap = Type.Object({ name: OptString(), items: Type.Optional(AtomicList(KeyToPath)), optional: OptBool() });
const ProjectedSecret = Type.Object({ name: OptString(), items: Type.Optional(AtomicList(KeyToPath)), optional: OptBool() });
const ServiceAccountTokenProjection = Type.Object({ audience: OptString(), expirationSeconds: OptInt(), path: Type.String() });

export const VolumeProjection = Type.Object(
  {
    secret: Type.Optional(ProjectedSecret),
    downwardAPI: Type.Optional(Type.Object({ items: Type.Optional(AtomicList(DownwardAPIVolumeFile)) })),
    configMap: Type.Optional(ProjectedConfigMap),
    serviceAccountToken: Type.Optional(ServiceAccountTokenProjection),
  },
  { description: 'One source of a projected volume; exactly one field is set.' },
);

export const ProjectedVolumeSource = Type.Object(
  { sources: Type.Optional(AtomicList(VolumeProjection)), defaultMode: OptInt('Mode bits of created files; defaults to 0644.') },
  { description: 'Several sources projected into one directory.' },
);

export const Volume = Type.Object(
  {
    name: Type.String({ description: 'Name of the volume, a DNS label unique within the pod.' }),
    emptyDir: Type.Optional(EmptyDirVolumeSource),
    hostPath: Type.Optional(HostPathVolumeSource),
    configMap: Type.Optional(ConfigMapVolumeSource),
    secret: Type.Optional(SecretVolumeSource),
    persistentVolumeClaim: Type.Optional(PersistentVolumeClaimVolumeSource),
    projected: Type.Optional(ProjectedVolumeSource),
    downwardAPI: Type.Optional(DownwardAPIVolumeSource),
  },
  { description: 'A named volume that containers of the pod can mount. Exactly one source.' },
);
export type Volume = Static<typeof Volume>;

/**
 * Every volume source Kubernetes knows, modelled or not. Defaulting adds emptyDir only when none of
 * these is set, and validation allows exactly one.
 */
export const VOLUME_SOURCES = [
  'awsElasticBlockStore', 'azureDisk', 'azureFile', 'cephfs', 'cinder', 'configMap', 'csi', 'downwardAPI', 'emptyDir',
  'ephemeral', 'fc', 'flexVolume', 'flocker', 'gcePersistentDisk', 'gitRepo', 'glusterfs', 'hostPath', 'image', 'iscsi',
  'nfs', 'persistentVolumeClaim', 'photonPersistentDisk', 'portworxVolume', 'projected', 'quobyte', 'rbd', 'scaleIO',
  'secret', 'storageos', 'vsphereVolume',
] as const;

/** The sources a volume sets. */
export function volumeSources(v: Volume): string[] {
  const rec = v as Record<string, unknown>;
  return VOLUME_SOURCES.filter((s) => rec[s] !== undefined && rec[s] !== null);
}
