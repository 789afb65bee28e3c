import { describe, expect, it } from 'vitest';
import * as types from '@kite/api-types';
import type { ResourceType } from '@kite/api-types';
import { subresourceFor, subresourcesOf, verbsOf } from '../../../src/registry/subresources/index.js';
import { strategyFor } from '../../../src/registry/strategy.js';

// Typed kinds are ResourceType<SpecificObject>; the registry takes any kind.
const kind = (rt: unknown) => rt as ResourceType;
const [PodResource, DeploymentResource, NamespaceResource, ServiceAccountResource, ConfigMapResource] = [types.PodResource, types.DeploymentResource, types.NamespaceResource, types.ServiceAccountResource, types.ConfigMapResource].map(kind) as [ResourceType, ResourceType, ResourceType, ResourceType, ResourceType];

const names = (rt: ResourceType) => subresourcesOf(rt).map((s) => `${s.name}:${verbsOf(s).join(',')}`);

describe('subresource storages, found by path', () => {
  it('serve each kind exactly the subresources Kubernetes gives it', () => {
    expect(names(PodResource)).toEqual(['status:get,patch,update', 'binding:create', 'log:get', 'eviction:create']);
    expect(names(DeploymentResource)).toEqual(['status:get,patch,update', 'scale:get,patch,update']);
    expect(names(NamespaceResource)).toEqual(['status:get,patch,update', 'finalize:update']);
    expect(names(ServiceAccountResource)).toEqual(['token:create']);
    expect(names(ConfigMapResource)).toEqual([]);
  });

  it('finds nothing for a subresource a kind does not have', () => {
    expect(subresourceFor(ConfigMapResource, 'status')).toBeUndefined();
    expect(subresourceFor(DeploymentResource, 'binding')).toBeUndefined();
    expect(subresourceFor(PodResource, 'scale')).toBeUndefined();
    expect(subresourceFor(DeploymentResource, 'scale')?.discovery(DeploymentResource)).toEqual({ kind: 'Scale', group: 'autoscaling', version: 'v1' });
  });
});

describe('kind strategies', () => {
  it('gives pods a grace period only once they are on a node, and namespaces a Terminating phase', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { nodeName: 'n1', terminationGracePeriodSeconds: 7 }, status: { phase: 'Running' } };
    expect(strategyFor(PodResource).gracePeriod?.(pod, undefined)).toBe(7);
    expect(strategyFor(PodResource).gracePeriod?.({ ...pod, spec: {} }, undefined)).toBe(0);
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' }, spec: { finalizers: ['kubernetes'] } };
    expect(strategyFor(NamespaceResource).blocksDeletion?.(ns)).toBe(true);
    strategyFor(NamespaceResource).prepareForDeletion?.(ns);
    expect((ns as { status?: { phase?: string } }).status?.phase).toBe('Terminating');
    expect(strategyFor(ConfigMapResource)).toEqual({});
  });
});
