// Builds the authorizer chain from `--authorization-mode` (Node, RBAC, AlwaysAllow, AlwaysDeny),
// with Kubernetes' privileged-group authorizer in front: members of system:masters may do
// anything, whatever the modes say (authorizerfactory's "system:masters" union member).
// RBAC and Node read their objects from in-process informers on the watch cache.
import { ClusterRoleBindingResource, ClusterRoleResource, PersistentVolumeResource, PodResource, RoleBindingResource, RoleResource, type KubeObject, type ResourceType } from '@kite/api-types';
import type { RestStorage } from '../registry/rest.js';
import type { SubjectRules } from '../registry/reviews/types.js';
import type { WatchCache } from '../storage/watch-cache.js';
import { AuthorizerChain, alwaysAllow, alwaysDeny } from './authorizer-chain.js';
import { LocalInformer, type InformerSink } from './local-informer.js';
import { RbacAuthorizer } from './rbac/authorizer.js';
import { MemoryRbacSource } from './rbac/memory-source.js';
import { MemoryNodeGraph, NodeAuthorizer } from './rbac/node-authorizer.js';
import { rulesFor } from './rbac/rules-for.js';
import { GROUP_MASTERS, type Authorizer, type UserInfo } from './types.js';

export const AUTHORIZATION_MODES = ['AlwaysAllow', 'AlwaysDeny', 'Node', 'RBAC'] as const;

const privilegedGroups: Authorizer = {
  name: 'system:masters',
  authorize: (attrs) => (attrs.user.groups.includes(GROUP_MASTERS) ? { decision: 'allow' } : { decision: 'no-opinion' }),
};

export interface AuthorizationSetup {
  authorizer: Authorizer;
  /** RBAC's rules for a user in a namespace (SelfSubjectRulesReview, escalation checks). */
  rulesFor(user: UserInfo, namespace: string): SubjectRules;
  rbac: MemoryRbacSource;
  /** Resolves once every informer has its initial list. */
  start(): Promise<void>;
  stop(): void;
}

function sinkFor(upsert: (o: KubeObject) => void, remove: (o: KubeObject) => void, reset: () => void): InformerSink {
  return { upsert, remove, reset };
}

export function buildAuthorization(modes: readonly string[], rest: RestStorage, cache: WatchCache): AuthorizationSetup {
  for (const m of modes) if (!(AUTHORIZATION_MODES as readonly string[]).includes(m)) throw new Error(`unknown --authorization-mode ${JSON.stringify(m)}: choose from ${AUTHORIZATION_MODES.join(', ')}`);
  const rbac = new MemoryRbacSource();
  const graph = new MemoryNodeGraph();
  const informers: LocalInformer[] = [];
  const follow = (rt: ResourceType, sink: InformerSink) => informers.push(new LocalInformer(rest, cache, rt, sink));
  const chain: Authorizer[] = [privilegedGroups];
  for (const mode of modes) {
    if (mode === 'AlwaysAllow') chain.push(alwaysAllow);
    else if (mode === 'AlwaysDeny') chain.push(alwaysDeny);
    else if (mode === 'Node') chain.push(new NodeAuthorizer({ graph }));
    else if (mode === 'RBAC') chain.push(new RbacAuthorizer({ source: rbac }));
  }
  if (modes.includes('RBAC') || modes.includes('Node')) {
    for (const rt of [RoleResource, ClusterRoleResource, RoleBindingResource, ClusterRoleBindingResource] as unknown as ResourceType[]) {
      follow(rt, sinkFor((o) => rbac.upsert(o), (o) => rbac.remove(o), () => rbac.reset(rt.kind)));
    }
  }
  if (modes.includes('Node')) follow(PodResource as unknown as ResourceType, sinkFor((o) => graph.upsert(o), (o) => graph.remove(o), () => graph.reset()));
  if (modes.includes('Node')) follow(PersistentVolumeResource as unknown as ResourceType, sinkFor((o) => graph.upsertVolume(o), (o) => graph.removeVolume(o), () => graph.resetVolumes()));
  return {
    authorizer: new AuthorizerChain(chain),
    rulesFor: (user, namespace) => rulesFor(rbac, user, namespace),
    rbac,
    start: async () => {
      await Promise.all(informers.map((i) => i.start()));
    },
    stop: () => {
      for (const i of informers) i.stop();
    },
  };
}
