// The Node authorizer's graph (plugin/pkg/auth/authorizer/node/graph.go), cut to what pods name:
// which node each pod is bound to and which Secrets, ConfigMaps, claims and ServiceAccount it
// uses. Fed by an informer on pods; queried per request, from memory. A second informer feeds the
// node each PersistentVolume's required node affinity names (kubernetes.io/hostname In [one node]),
// so a kubelet may finish the local-path cleanup of its own volumes and of no others.
import type { KubeObject, PersistentVolume, Pod } from '@kite/api-types';

export type NodeObjectKind = 'secrets' | 'configmaps' | 'persistentvolumeclaims' | 'serviceaccounts';

interface PodEdges {
  node: string;
  namespace: string;
  refs: Record<NodeObjectKind, Set<string>>;
}

function edgesOf(pod: Pod): PodEdges | undefined {
  const spec = pod.spec;
  const node = spec?.nodeName;
  if (!spec || !node) return undefined;
  const refs: PodEdges['refs'] = { secrets: new Set(), configmaps: new Set(), persistentvolumeclaims: new Set(), serviceaccounts: new Set() };
  refs.serviceaccounts.add(spec.serviceAccountName || 'default');
  for (const s of spec.imagePullSecrets ?? []) if (s.name) refs.secrets.add(s.name);
  for (const v of spec.volumes ?? []) {
    if (v.secret?.secretName) refs.secrets.add(v.secret.secretName);
    if (v.configMap?.name) refs.configmaps.add(v.configMap.name);
    if (v.persistentVolumeClaim?.claimName) refs.persistentvolumeclaims.add(v.persistentVolumeClaim.claimName);
    for (const src of v.projected?.sources ?? []) {
      if (src.secret?.name) refs.secrets.add(src.secret.name);
      if (src.configMap?.name) refs.configmaps.add(src.configMap.name);
    }
  }
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    for (const e of c.env ?? []) {
      if (e.valueFrom?.secretKeyRef?.name) refs.secrets.add(e.valueFrom.secretKeyRef.name);
      if (e.valueFrom?.configMapKeyRef?.name) refs.configmaps.add(e.valueFrom.configMapKeyRef.name);
    }
    for (const e of c.envFrom ?? []) {
      if (e.secretRef?.name) refs.secrets.add(e.secretRef.name);
      if (e.configMapRef?.name) refs.configmaps.add(e.configMapRef.name);
    }
  }
  return { node, namespace: pod.metadata.namespace ?? '', refs };
}

export interface NodeGraph {
  /** Whether a pod bound to `node` uses the named object. */
  nodeUses(node: string, kind: NodeObjectKind, namespace: string, name: string): boolean;
  /** The node a pod is bound to, if the graph knows the pod. */
  nodeOfPod(namespace: string, name: string): string | undefined;
  /** The one node a PersistentVolume's required node affinity names by hostname, if any. */
  nodeOfVolume(name: string): string | undefined;
}

/** The single kubernetes.io/hostname a PV's required node affinity allows, if exactly one. */
function volumeNode(pv: PersistentVolume): string | undefined {
  const nodes = new Set<string>();
  for (const t of pv.spec?.nodeAffinity?.required?.nodeSelectorTerms ?? []) {
    for (const e of t.matchExpressions ?? []) if (e.key === 'kubernetes.io/hostname' && e.operator === 'In') for (const v of e.values ?? []) nodes.add(v);
  }
  return nodes.size === 1 ? [...nodes][0] : undefined;
}

export class MemoryNodeGraph implements NodeGraph {
  private readonly pods = new Map<string, PodEdges>();
  private readonly byNode = new Map<string, Set<string>>();
  private readonly volumeNodes = new Map<string, string>();

  private static key(o: KubeObject): string {
    return `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
  }

  upsert(o: KubeObject): void {
    this.remove(o);
    const edges = edgesOf(o as Pod);
    if (!edges) return;
    const key = MemoryNodeGraph.key(o);
    this.pods.set(key, edges);
    let set = this.byNode.get(edges.node);
    if (!set) this.byNode.set(edges.node, (set = new Set()));
    set.add(key);
  }

  remove(o: KubeObject): void {
    const key = MemoryNodeGraph.key(o);
    const old = this.pods.get(key);
    if (!old) return;
    this.pods.delete(key);
    this.byNode.get(old.node)?.delete(key);
  }

  reset(): void {
    this.pods.clear();
    this.byNode.clear();
  }

  nodeUses(node: string, kind: NodeObjectKind, namespace: string, name: string): boolean {
    for (const key of this.byNode.get(node) ?? []) {
      const e = this.pods.get(key);
      if (e && e.namespace === namespace && e.refs[kind].has(name)) return true;
    }
    return false;
  }

  nodeOfPod(namespace: string, name: string): string | undefined {
    return this.pods.get(`${namespace}/${name}`)?.node;
  }

  upsertVolume(o: KubeObject): void {
    const node = volumeNode(o as PersistentVolume);
    if (node === undefined) this.volumeNodes.delete(o.metadata.name ?? '');
    else this.volumeNodes.set(o.metadata.name ?? '', node);
  }

  removeVolume(o: KubeObject): void {
    this.volumeNodes.delete(o.metadata.name ?? '');
  }

  resetVolumes(): void {
    this.volumeNodes.clear();
  }

  nodeOfVolume(name: string): string | undefined {
    return this.volumeNodes.get(name);
  }
}
