// Prepares a pod's volumes as host directories (BRIEF §4) and maps its containers' volumeMounts
// onto them: emptyDir (empty-dir.ts: per pod, on disk or in memory, removed with it), hostPath, configMap and secret (one file per
// key, read-only like Kubernetes' projections), downwardAPI (the pod's own fields), projected
// (projected.ts: ServiceAccount tokens, keys and downward API fields in one directory), and
// persistentVolumeClaim (claims.ts: the directory of the PersistentVolume bound to the claim,
// which outlives the pod). The key-to-path kinds are written by atomic-writer.ts and prepared
// again every VOLUME_REFRESH_MS, so a running container sees its ConfigMap, Secret, labels and
// annotations change in place, as in Kubernetes (where it takes up to a minute).
import { mkdir, rm } from 'node:fs/promises';
import { existsSync, mkdirSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { ContainerObj, PodObj } from '../objects.js';
import type { Mount } from '@kite/cri';
import { claimDirectory, type ClaimSources } from './claims.js';
import { writeAtomically } from './atomic-writer.js';
import { cleanupMemoryDirs, prepareEmptyDir } from './empty-dir.js';
import { VolumeError } from './errors.js';
import { DEFAULT_TOKEN_EXPIRATION_SECONDS, downwardFile, type DownwardItem, type Projection, type TokenSource } from './projected.js';

/** Reads the objects volumes project; throws when one does not exist. */
export interface VolumeSources extends Partial<TokenSource>, Partial<ClaimSources> {
  configMap(namespace: string, name: string): Promise<{ data?: Record<string, string>; binaryData?: Record<string, string> } | undefined>;
  secret(namespace: string, name: string): Promise<{ data?: Record<string, string>; stringData?: Record<string, string> } | undefined>;
}

export { VolumeError };

/** How often configMap, secret, downwardAPI and projected volumes are written again. */
export const VOLUME_REFRESH_MS = 10_000;

type Volume = NonNullable<NonNullable<PodObj['spec']>['volumes']>[number];
type KeyToPath = { key: string; path: string };

export interface PreparedVolume {
  hostPath: string;
  /** configMap, secret and projected volumes are always mounted read-only. */
  forceReadOnly: boolean;
  /** When it must be prepared again (content that may change, a token's renewal), epoch ms. */
  refreshAt?: number;
  /** An emptyDir's sizeLimit (empty-dir.ts), enforced by evicting the pod. */
  sizeLimit?: { bytes: number; text: string };
  /** A projected volume's ServiceAccount tokens by path, kept until their renewal is due. */
  tokens?: Map<string, { token: Buffer; renewAt: number }>;
}

async function configMapFiles(src: VolumeSources, ns: string, name: string, optional: boolean | undefined): Promise<Record<string, Buffer>> {
  const cm = await src.configMap(ns, name);
  if (!cm && !optional) throw new VolumeError(`configmap "${name}" not found`);
  const files: Record<string, Buffer> = {};
  for (const [k, val] of Object.entries(cm?.data ?? {})) files[k] = Buffer.from(val);
  for (const [k, val] of Object.entries(cm?.binaryData ?? {})) files[k] = Buffer.from(val, 'base64');
  return files;
}

async function secretFiles(src: VolumeSources, ns: string, name: string, optional: boolean | undefined): Promise<Record<string, Buffer>> {
  const s = await src.secret(ns, name);
  if (!s && !optional) throw new VolumeError(`secret "${name}" not found`);
  const files: Record<string, Buffer> = {};
  for (const [k, val] of Object.entries(s?.data ?? {})) files[k] = Buffer.from(val, 'base64');
  for (const [k, val] of Object.entries(s?.stringData ?? {})) files[k] = Buffer.from(val);
  return files;
}

/** The files of a key-to-path source: the chosen keys at their paths, else every key. */
function pick(files: Record<string, Buffer>, items: readonly KeyToPath[] | undefined, what: string): Array<[string, Buffer]> {
  if (!items?.length) return Object.entries(files);
  return items.map((i) => {
    const content = files[i.key];
    if (!content) throw new VolumeError(`${what} has no key "${i.key}"`);
    return [i.path, content];
  });
}

function downwardFiles(pod: PodObj, items: readonly DownwardItem[] | undefined, what: string): Array<[string, Buffer]> {
  return (items ?? []).map((i) => {
    const content = downwardFile(pod, i);
    if (content === undefined) throw new VolumeError(`${what}: item "${i.path}" names no supported field (fieldRef metadata.*, spec.nodeName, spec.serviceAccountName, or resourceFieldRef)`);
    return [i.path, Buffer.from(content)];
  });
}

/** One projection's files (path → content), and when its token must be renewed. */
async function projectionFiles(p: Projection, pod: PodObj, src: VolumeSources, tokens: NonNullable<PreparedVolume['tokens']>): Promise<{ files: Array<[string, Buffer]>; refreshAt?: number }> {
  const ns = pod.metadata.namespace ?? 'default';
  if (p.configMap) return { files: pick(await configMapFiles(src, ns, p.configMap.name ?? '', p.configMap.optional), p.configMap.items as KeyToPath[] | undefined, `configmap "${p.configMap.name ?? ''}"`) };
  if (p.secret) return { files: pick(await secretFiles(src, ns, p.secret.name ?? '', p.secret.optional), p.secret.items as KeyToPath[] | undefined, `secret "${p.secret.name ?? ''}"`) };
  if (p.downwardAPI) return { files: downwardFiles(pod, p.downwardAPI.items as DownwardItem[] | undefined, 'downwardAPI projection') };
  if (p.serviceAccountToken) {
    const path = p.serviceAccountToken.path;
    const kept = tokens.get(path);
    if (kept && kept.renewAt > Date.now()) return { files: [[path, kept.token]], refreshAt: kept.renewAt };
    if (!src.serviceAccountToken) throw new VolumeError('serviceAccountToken projection: this kubelet cannot request tokens');
    const ttl = p.serviceAccountToken.expirationSeconds ?? DEFAULT_TOKEN_EXPIRATION_SECONDS;
    const issued = await src.serviceAccountToken(pod, p.serviceAccountToken.audience, ttl);
    const fresh = { token: Buffer.from(issued.token), renewAt: Date.now() + ttl * 800 };
    tokens.set(path, fresh);
    return { files: [[path, fresh.token]], refreshAt: fresh.renewAt };
  }
  return { files: [] };
}

/** Writes a key-to-path volume (atomic-writer.ts) and says when to write it again. */
async function writeKeys(dir: string, files: Array<[string, Buffer]>, what: string, mode: number | undefined, refreshAt?: number): Promise<PreparedVolume> {
  await writeAtomically(dir, new Map(files), what, mode ?? 0o644);
  return { hostPath: dir, forceReadOnly: true, refreshAt: Math.min(refreshAt ?? Infinity, Date.now() + VOLUME_REFRESH_MS) };
}

async function prepareOne(v: Volume, pod: PodObj, podDir: string, src: VolumeSources, previous: PreparedVolume | undefined): Promise<PreparedVolume> {
  const ns = pod.metadata.namespace ?? 'default';
  if (v.emptyDir) return prepareEmptyDir(podDir, v.name, v.emptyDir);
  if (v.hostPath) {
    const type = v.hostPath.type ?? '';
    if (type === 'DirectoryOrCreate') await mkdir(v.hostPath.path, { recursive: true });
    else if (type === 'Directory' && !existsSync(v.hostPath.path)) throw new VolumeError(`hostPath ${v.hostPath.path} does not exist`);
    return { hostPath: v.hostPath.path, forceReadOnly: false };
  }
  if (v.configMap) {
    const name = v.configMap.name ?? '';
    const files = pick(await configMapFiles(src, ns, name, v.configMap.optional), v.configMap.items as KeyToPath[] | undefined, `configmap "${name}"`);
    return writeKeys(join(podDir, 'volumes', 'configmap', v.name), files, `configmap "${name}"`, v.configMap.defaultMode);
  }
  if (v.secret) {
    const name = v.secret.secretName ?? '';
    const files = pick(await secretFiles(src, ns, name, v.secret.optional), v.secret.items as KeyToPath[] | undefined, `secret "${name}"`);
    return writeKeys(join(podDir, 'volumes', 'secret', v.name), files, `secret "${name}"`, v.secret.defaultMode);
  }
  if (v.downwardAPI) {
    const files = downwardFiles(pod, v.downwardAPI.items as DownwardItem[] | undefined, `downwardAPI volume "${v.name}"`);
    return writeKeys(join(podDir, 'volumes', 'downward-api', v.name), files, `downwardAPI volume "${v.name}"`, v.downwardAPI.defaultMode);
  }
  if (v.projected) {
    const all: Array<[string, Buffer]> = [];
    let refreshAt: number | undefined;
    const tokens = previous?.tokens ?? new Map<string, { token: Buffer; renewAt: number }>();
    for (const p of v.projected.sources ?? []) {
      const r = await projectionFiles(p, pod, src, tokens);
      all.push(...r.files);
      if (r.refreshAt !== undefined) refreshAt = Math.min(refreshAt ?? Infinity, r.refreshAt);
    }
    const prepared = await writeKeys(join(podDir, 'volumes', 'projected', v.name), all, `projected volume "${v.name}"`, v.projected.defaultMode, refreshAt);
    return tokens.size > 0 ? { ...prepared, tokens } : prepared;
  }
  if (v.persistentVolumeClaim) return claimDirectory(src, ns, v.persistentVolumeClaim);
  throw new VolumeError(`volume "${v.name}": unsupported volume type (supported: emptyDir, hostPath, configMap, secret, downwardAPI, projected, persistentVolumeClaim)`);
}

/** Prepares the pod's volumes; of `previous` (the last preparation), those not yet due are kept as they are. */
export async function prepareVolumes(pod: PodObj, podDir: string, src: VolumeSources, previous?: Map<string, PreparedVolume>): Promise<Map<string, PreparedVolume>> {
  const out = new Map<string, PreparedVolume>();
  const now = Date.now();
  for (const v of pod.spec?.volumes ?? []) {
    const old = previous?.get(v.name);
    out.set(v.name, old && (old.refreshAt === undefined || old.refreshAt > now) ? old : await prepareOne(v, pod, podDir, src, old));
  }
  return out;
}

/**
 * The host directory of a volumeMount's subPath: relative, never leaving the volume (no `..`),
 * created on first use in a writable volume as Kubernetes does.
 */
function subPathDirectory(c: ContainerObj, volume: PreparedVolume, subPath: string): string {
  if (isAbsolute(subPath) || subPath.split('/').includes('..')) {
    throw new VolumeError(`container "${c.name}": subPath ${JSON.stringify(subPath)} must be a relative path without '..'`);
  }
  const dir = join(volume.hostPath, subPath);
  if (!volume.forceReadOnly && !existsSync(dir)) mkdirSync(dir, { recursive: true });
  return dir;
}

/** The runtime mounts of one container; a mount naming no volume is an error. */
export function containerMounts(c: ContainerObj, volumes: Map<string, PreparedVolume>): Mount[] {
  return (c.volumeMounts ?? []).map((m) => {
    const v = volumes.get(m.name);
    if (!v) throw new VolumeError(`container "${c.name}" mounts volume "${m.name}", which the pod does not define`);
    return { hostPath: m.subPath ? subPathDirectory(c, v, m.subPath) : v.hostPath, containerPath: m.mountPath, readOnly: Boolean(m.readOnly) || v.forceReadOnly };
  });
}

export async function cleanupPodDir(podDir: string): Promise<void> {
  await cleanupMemoryDirs(podDir);
  await rm(podDir, { recursive: true, force: true });
}
