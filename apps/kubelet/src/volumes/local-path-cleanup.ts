// Local-path cleanup: the node half of the built-in provisioner (common storage interface).
//
// A dynamically provisioned local-path PersistentVolume is a directory on one node
// (<local-path-root>/<pvName>), so only that node's kubelet can remove it. When such a PV is
// deleted (deletionTimestamp set) and still carries the finalizer kite.dev/local-path-cleanup,
// the kubelet of the node its nodeAffinity names removes the directory and then the finalizer,
// which lets the apiserver delete the object.
//
// Guards, because this deletes files: the PV must carry the provisioner's annotation and
// finalizer, name this node as its only kubernetes.io/hostname, and its path must be absolute,
// normalised, end in the PV's own name and have a parent other than `/`. Anything else is left
// alone (and logged), never removed.
import { rm } from 'node:fs/promises';
import { basename, dirname, isAbsolute, normalize } from 'node:path';
import { PersistentVolumeResource, type PersistentVolume } from '@kite/api-types';
import { isConflict, isNotFound } from '@kite/apimachinery';
import { Informer, type DeepReadonly, type KubeClient } from '@kite/client';
import type { Logger } from '@kite/component-base';

export const LOCAL_PATH_FINALIZER = 'kite.dev/local-path-cleanup';
export const LOCAL_PATH_PROVISIONER = 'kite.dev/local-path';
export const PROVISIONED_BY_ANNOTATION = 'pv.kubernetes.io/provisioned-by';
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';
/** Re-deliver every PV this often, so a cleanup that failed is tried again. */
const RESYNC_MS = 30_000;

type PvObj = DeepReadonly<PersistentVolume>;

/** The single node a PV's required node affinity names by hostname, if exactly one. */
export function affinityNode(pv: PvObj): string | undefined {
  const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms ?? [];
  const nodes = new Set<string>();
  for (const t of terms) {
    for (const e of t.matchExpressions ?? []) if (e.key === HOSTNAME_LABEL && e.operator === 'In') for (const v of e.values ?? []) nodes.add(v);
  }
  return nodes.size === 1 ? [...nodes][0] : undefined;
}

/** Why a directory path may not be removed for this PV, or undefined when it may. */
export function unsafePathReason(path: string, pvName: string): string | undefined {
  if (!isAbsolute(path)) return 'path is not absolute';
  if (normalize(path) !== path || path.endsWith('/')) return 'path is not normalised';
  if (basename(path) !== pvName) return 'path does not end in the PV name';
  if (dirname(path) === '/') return 'path has no root directory above the PV directory';
  return undefined;
}

/** The directory to remove for this PV on `node`, or undefined when the PV is not ours to clean. */
export function cleanupPath(pv: PvObj, node: string): string | undefined {
  if (!pv.metadata.deletionTimestamp || !(pv.metadata.finalizers ?? []).includes(LOCAL_PATH_FINALIZER)) return undefined;
  if (pv.metadata.annotations?.[PROVISIONED_BY_ANNOTATION] !== LOCAL_PATH_PROVISIONER) return undefined;
  if (affinityNode(pv) !== node) return undefined;
  return pv.spec?.hostPath?.path ?? pv.spec?.local?.path;
}

export interface LocalPathCleanerOptions {
  client: KubeClient;
  nodeName: string;
  log: Logger;
}

export class LocalPathCleaner {
  private readonly informer: Informer<PersistentVolume>;
  private readonly busy = new Set<string>();

  constructor(private readonly opts: LocalPathCleanerOptions) {
    this.informer = new Informer<PersistentVolume>({ client: opts.client.resource(PersistentVolumeResource), resyncMs: RESYNC_MS, onError: (err) => opts.log.warn({ err }, 'persistentvolume watch') });
    this.informer.on('add', (pv) => this.consider(pv));
    this.informer.on('update', (_old, pv) => this.consider(pv));
  }

  start(): Promise<void> {
    return this.informer.start();
  }

  stop(): Promise<void> {
    return this.informer.stop();
  }

  private consider(pv: PvObj): void {
    const name = pv.metadata.name ?? '';
    const path = cleanupPath(pv, this.opts.nodeName);
    if (path === undefined || this.busy.has(name)) return;
    this.busy.add(name);
    this.clean(pv, path)
      .catch((err: unknown) => this.opts.log.warn({ err, pv: name }, 'local-path cleanup failed (retried on resync)'))
      .finally(() => this.busy.delete(name));
  }

  private async clean(pv: PvObj, path: string): Promise<void> {
    const name = pv.metadata.name ?? '';
    const unsafe = unsafePathReason(path, name);
    if (unsafe) {
      this.opts.log.warn({ pv: name, path, reason: unsafe }, 'refusing to remove a local-path directory');
      return;
    }
    await rm(path, { recursive: true, force: true });
    this.opts.log.info({ pv: name, path }, 'local-path directory removed');
    await this.removeFinalizer(pv);
  }

  /** JSON patch guarded by a test of the finalizer's position, so a concurrent change cannot shift it. */
  private async removeFinalizer(pv: PvObj): Promise<void> {
    const index = (pv.metadata.finalizers ?? []).indexOf(LOCAL_PATH_FINALIZER);
    const patch = [
      { op: 'test', path: `/metadata/finalizers/${index}`, value: LOCAL_PATH_FINALIZER },
      { op: 'remove', path: `/metadata/finalizers/${index}` },
    ];
    try {
      await this.opts.client.resource(PersistentVolumeResource).patch(pv.metadata.name ?? '', patch, { type: 'json' });
    } catch (err) {
      // Gone already, or changed under us (the next event brings the new version).
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }
}
