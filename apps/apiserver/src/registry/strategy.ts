// Per-kind behaviour on top of the generic REST operations, as Kubernetes' registry strategies
// (pkg/registry/KIND/strategy.go): what a create resets, what an update may change, how
// generation moves, and the kinds whose deletion is graceful or blocked. The generic rules are
// here; a kind with rules of its own has a KindStrategy in registry/KIND/strategy.ts, listed in
// STRATEGIES, and the REST storage never asks which kind it handles.
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject, ResourceType } from '@kite/api-types';
import { namespaceStrategy } from './namespaces/strategy.js';
import { podStrategy } from './pods/strategy.js';

/** Fields a user-facing update never changes: the server owns them. */
const SERVER_OWNED_META = ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation'] as const;

export type StrategyObject = KubeObject & { spec?: unknown; status?: unknown } & Record<string, unknown>;

/** What a kind adds to the generic rules; every hook is optional. */
export interface KindStrategy {
  /** After the generic create preparation. */
  prepareForCreate?(obj: StrategyObject): void;
  /** After the generic update preparation (server-owned fields restored, generation moved). */
  prepareForUpdate?(obj: StrategyObject, old: StrategyObject): void;
  /** Seconds a delete waits for (0: none, the default). */
  gracePeriod?(obj: StrategyObject, requested: number | undefined): number;
  /** Whether something of the kind's own (not metadata.finalizers) holds a deletion back. */
  blocksDeletion?(obj: StrategyObject): boolean;
  /** Applied to an object marked for deletion. */
  prepareForDeletion?(obj: StrategyObject): void;
}

/** Kinds with rules of their own, by `group/plural` ('' group for the core API). */
const STRATEGIES: ReadonlyMap<string, KindStrategy> = new Map([
  ['/pods', podStrategy],
  ['/namespaces', namespaceStrategy],
]);

const NONE: KindStrategy = {};

export function strategyFor(rt: ResourceType): KindStrategy {
  return STRATEGIES.get(`${rt.group}/${rt.plural}`) ?? NONE;
}

/**
 * Everything but metadata and status: a change here bumps `metadata.generation`. Compared as
 * values, not as JSON text, so the same spec with its keys in another order (from a conversion or
 * a client that orders them differently) is no change.
 */
function specPart(obj: StrategyObject): Record<string, unknown> {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return rest;
}

/** Kinds with a spec/status split track spec changes in metadata.generation; ConfigMaps do not. */
function tracksGeneration(rt: ResourceType): boolean {
  return rt.subresources.status;
}

export function prepareForCreate(rt: ResourceType, obj: StrategyObject): void {
  if (tracksGeneration(rt)) obj.metadata.generation = 1;
  else delete obj.metadata.generation;
  delete obj.metadata.deletionTimestamp;
  delete obj.metadata.deletionGracePeriodSeconds;
  strategyFor(rt).prepareForCreate?.(obj);
}

/** An update of the main resource: status comes from the stored object when a status subresource exists. */
export function prepareForUpdate(rt: ResourceType, obj: StrategyObject, old: StrategyObject): void {
  for (const field of SERVER_OWNED_META) {
    if (old.metadata[field] === undefined) delete obj.metadata[field];
    else (obj.metadata as Record<string, unknown>)[field] = old.metadata[field];
  }
  if (rt.subresources.status) {
    if (old.status === undefined) delete obj.status;
    else obj.status = old.status;
  }
  if (!tracksGeneration(rt)) delete obj.metadata.generation;
  else {
    const gen = old.metadata.generation ?? 1;
    obj.metadata.generation = isDeepStrictEqual(specPart(obj), specPart(old)) ? gen : gen + 1;
  }
  strategyFor(rt).prepareForUpdate?.(obj, old);
}

/** An update through the status subresource: only status changes. */
export function prepareForStatusUpdate(obj: StrategyObject, old: StrategyObject): StrategyObject {
  const next: StrategyObject = { ...old, metadata: { ...old.metadata } };
  if (obj.status === undefined) delete next.status;
  else next.status = obj.status;
  return next;
}

export function gracePeriodFor(rt: ResourceType, obj: StrategyObject, requested: number | undefined): number {
  return strategyFor(rt).gracePeriod?.(obj, requested) ?? 0;
}

/** Whether the kind's own rules hold a deletion back (a namespace's spec.finalizers). */
export function deletionBlocked(rt: ResourceType, obj: StrategyObject): boolean {
  return strategyFor(rt).blocksDeletion?.(obj) ?? false;
}

/** Whether an object marked for deletion may go now: no finalizers left and no grace pending. */
export function readyToDelete(rt: ResourceType, obj: StrategyObject): boolean {
  if (!obj.metadata.deletionTimestamp) return false;
  if ((obj.metadata.finalizers ?? []).length > 0) return false;
  if (deletionBlocked(rt, obj)) return false;
  return (obj.metadata.deletionGracePeriodSeconds ?? 0) === 0;
}
