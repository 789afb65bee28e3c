// Tiny builders for admission tests: an in-memory AdmissionContext, request attributes, and pods.
import {
  allResources,
  type Container,
  type KubeObject,
  type Namespace,
  type Pod,
  type PodSpec,
  type ResourceType,
} from '@kite/api-types';
import { isApiError } from '@kite/apimachinery';
import type { AdmissionAttributes, AdmissionContext, Operation } from '../../../src/admission/interface.js';

/** An AdmissionContext over a fixed set of objects. */
export function contextWith(...objects: KubeObject[]): AdmissionContext {
  const matches = (rt: ResourceType, o: KubeObject) => o.kind === rt.kind && o.apiVersion === rt.apiVersion;
  return {
    get: async <T extends KubeObject>(rt: ResourceType, ns: string, name: string) =>
      objects.find((o) => matches(rt, o) && (o.metadata.namespace ?? '') === ns && o.metadata.name === name) as T | undefined,
    list: async <T extends KubeObject>(rt: ResourceType, ns: string) => objects.filter((o) => matches(rt, o) && (ns === '' || o.metadata.namespace === ns)) as T[],
  };
}

export function namespace(name: string, labels: Record<string, string> = {}, phase: 'Active' | 'Terminating' = 'Active'): Namespace {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels }, status: { phase } };
}

export function rtOf(kind: string): ResourceType {
  const rt = allResources.find((r) => r.kind === kind);
  if (!rt) throw new Error(`no kind ${kind}`);
  return rt;
}

export interface AttrsExtra {
  operation?: Operation;
  namespace?: string;
  name?: string;
  subresource?: string;
  username?: string;
}

export function attrs(kind: string, extra: AttrsExtra = {}): AdmissionAttributes {
  const rt = rtOf(kind);
  return {
    operation: extra.operation ?? 'CREATE',
    rt,
    subresource: extra.subresource ?? '',
    namespace: extra.namespace ?? (rt.namespaced ? 'default' : ''),
    name: extra.name ?? 'x',
    user: { username: extra.username ?? 'alice', groups: ['system:authenticated'] },
    dryRun: false,
    warnings: [],
    auditAnnotations: {},
  };
}

export const container = (name: string, extra: Partial<Container> = {}): Container => ({ name, image: 'nginx', ...extra });

/** A pod named `x` in `default` with the given spec fields (one container `c` unless given). */
export function podWith(spec: Partial<PodSpec> = {}, meta: Partial<Pod['metadata']> = {}): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', namespace: 'default', ...meta }, spec: { containers: [container('c')], ...spec } };
}

/** The Status message of what `fn` throws, or '' if it does not throw. */
export async function refusal(fn: () => unknown): Promise<string> {
  try {
    await fn();
    return '';
  } catch (err) {
    if (isApiError(err)) return err.status.message ?? '';
    throw err;
  }
}
