// The Node authorizer (plugin/pkg/auth/authorizer/node) with the NodeRestriction rules folded in:
// a kubelet (user system:node:NAME in system:nodes) may read the Secrets, ConfigMaps and claims
// of pods bound to its node, mint tokens for their ServiceAccounts, write only its own Node and
// Lease and only the pods bound to it, and do what Kubernetes' system:node role allows otherwise
// (read pods, Services and endpoints, write Events, review tokens and access). PersistentVolumes:
// a kubelet may read them (it resolves claims and watches for local-path volumes to clean up) and
// patch or update only those whose node affinity names its node alone. Everything else
// it leaves to the next authorizer, with the reason a refusal will carry.
import type { PolicyRule } from '@kite/api-types';
import { GROUP_NODES, NODE_USER_PREFIX, type Attributes, type Authorizer, type Decision, type ResourceAttributes } from '../types.js';
import { MemoryNodeGraph, type NodeGraph, type NodeObjectKind } from './node-graph.js';
import { rulesAllow } from './rule-match.js';

export { MemoryNodeGraph };

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'update', 'patch', 'delete'];

/** What every kubelet may do regardless of the graph (the reads and writes system:node grants). */
export const NODE_RULES: PolicyRule[] = [
  { apiGroups: [''], resources: ['pods', 'pods/status', 'services', 'endpoints', 'nodes', 'nodes/status'], verbs: READ },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
  { apiGroups: ['node.k8s.io'], resources: ['runtimeclasses'], verbs: READ },
  { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'update', 'patch'] },
  { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
  { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews', 'localsubjectaccessreviews'], verbs: ['create'] },
  { apiGroups: [''], resources: ['persistentvolumes'], verbs: ['get'] },
];

const GRAPH_KINDS: ReadonlySet<string> = new Set<NodeObjectKind>(['secrets', 'configmaps', 'persistentvolumeclaims']);

export function nodeNameOf(attrs: Attributes): string | undefined {
  const u = attrs.user;
  if (!u.groups.includes(GROUP_NODES) || !u.username.startsWith(NODE_USER_PREFIX)) return undefined;
  const name = u.username.slice(NODE_USER_PREFIX.length);
  return name || undefined;
}

export class NodeAuthorizer implements Authorizer {
  readonly name = 'Node';
  private readonly graph: NodeGraph;

  constructor(opts: { graph: NodeGraph }) {
    this.graph = opts.graph;
  }

  authorize(attrs: Attributes): Decision {
    const node = nodeNameOf(attrs);
    if (node === undefined || !attrs.resourceRequest) return { decision: 'no-opinion' };
    const decided = this.decide(node, attrs);
    if (decided) return decided;
    return rulesAllow(attrs, NODE_RULES) ? { decision: 'allow' } : { decision: 'no-opinion' };
  }

  private decide(node: string, a: ResourceAttributes): Decision | undefined {
    const noRelation = { decision: 'no-opinion', reason: `no relationship found between node '${node}' and this object` } as const;
    if (a.apiGroup === '' && GRAPH_KINDS.has(a.resource) && a.subresource === '') {
      // A single object, by name: a list or watch needs a metadata.name field selector.
      if (!READ.includes(a.verb) || a.name === '') return { decision: 'no-opinion', reason: `can only read individual ${a.resource}` };
      return this.graph.nodeUses(node, a.resource as NodeObjectKind, a.namespace, a.name) ? { decision: 'allow' } : noRelation;
    }
    if (a.apiGroup === '' && a.resource === 'serviceaccounts' && a.subresource === 'token') {
      if (a.verb !== 'create') return { decision: 'no-opinion', reason: 'can only create tokens' };
      return this.graph.nodeUses(node, 'serviceaccounts', a.namespace, a.name) ? { decision: 'allow' } : noRelation;
    }
    if (a.apiGroup === '' && a.resource === 'pods' && WRITE.includes(a.verb) && (a.subresource === '' || a.subresource === 'status')) {
      if (a.verb === 'create' && a.subresource === '') return { decision: 'allow' };
      const boundTo = this.graph.nodeOfPod(a.namespace, a.name);
      return boundTo === node ? { decision: 'allow' } : { decision: 'no-opinion', reason: `node '${node}' can only modify pods bound to it` };
    }
    if (a.apiGroup === '' && a.resource === 'persistentvolumes' && a.subresource === '') {
      if (READ.includes(a.verb)) return { decision: 'allow' };
      if (a.verb !== 'patch' && a.verb !== 'update') return { decision: 'no-opinion', reason: `node '${node}' can only read and patch persistentvolumes` };
      return this.graph.nodeOfVolume(a.name) === node ? { decision: 'allow' } : { decision: 'no-opinion', reason: `node '${node}' can only modify persistentvolumes whose node affinity names it` };
    }
    if (a.apiGroup === '' && a.resource === 'nodes' && WRITE.includes(a.verb)) {
      if (a.verb === 'create' || a.name === node) return { decision: 'allow' };
      return { decision: 'no-opinion', reason: `node '${node}' can only modify its own Node object` };
    }
    if (a.apiGroup === 'coordination.k8s.io' && a.resource === 'leases') {
      if (a.namespace !== 'kube-node-lease') return undefined;
      if (a.verb === 'create' || ((READ.includes(a.verb) || WRITE.includes(a.verb)) && a.name === node)) return { decision: 'allow' };
      return { decision: 'no-opinion', reason: `node '${node}' can only access its own Lease` };
    }
    return undefined;
  }
}
