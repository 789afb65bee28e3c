// Table tests of pod-template-hash, revisions, rollback targets and history cleanup.
import { describe, expect, it } from 'vitest';
import type { PodTemplateSpec, ReplicaSet } from '@kite/api-types';
import { historyToDelete } from '../../src/deployment/cleanup.js';
import { fnv1a32, podTemplateHash, POD_TEMPLATE_HASH_LABEL, templatesEqual } from '../../src/deployment/hash.js';
import { revisionAnnotations, REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION } from '../../src/deployment/revisions.js';
import { rollbackRequest, rollbackTarget } from '../../src/deployment/rollback.js';

const template = (image: string, extra: Partial<PodTemplateSpec> = {}): PodTemplateSpec => ({
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'app', image }] },
  ...extra,
});

const replicaSet = (name: string, revision: number, replicas = 0, statusReplicas = replicas): ReplicaSet => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name, annotations: { [REVISION_ANNOTATION]: String(revision) } },
  spec: { replicas, selector: {}, template: template(`${name}.wasm`) },
  status: { replicas: statusReplicas },
});

describe('pod-template-hash', () => {
  it('FNV-1a of known inputs', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it.each<{ name: string; a: unknown; b: unknown }>([
    { name: 'key order', a: { spec: { containers: [{ name: 'app', image: 'x' }] }, metadata: { labels: { b: '2', a: '1' } } }, b: { metadata: { labels: { a: '1', b: '2' } }, spec: { containers: [{ image: 'x', name: 'app' }] } } },
    { name: 'null and empty values (as kubectl writes them)', a: template('x'), b: { metadata: { labels: { app: 'web' }, creationTimestamp: null }, spec: { containers: [{ name: 'app', image: 'x', resources: {} }] } } },
    { name: 'the hash label itself', a: template('x'), b: { metadata: { labels: { app: 'web', [POD_TEMPLATE_HASH_LABEL]: 'abc' } }, spec: { containers: [{ name: 'app', image: 'x' }] } } },
  ])('is stable across $name', ({ a, b }) => {
    expect(podTemplateHash(a as PodTemplateSpec)).toBe(podTemplateHash(b as PodTemplateSpec));
    // A template that reached the apiserver from kubectl may carry nulls the types do not allow.
    expect(templatesEqual(a as PodTemplateSpec, b as PodTemplateSpec)).toBe(true);
  });

  it.each([
    { name: 'image', b: template('y') },
    { name: 'a template annotation (kubectl rollout restart)', b: template('x', { metadata: { labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/restartedAt': 'now' } } }) },
  ])('changes with the $name', ({ b }) => {
    expect(podTemplateHash(template('x'))).not.toBe(podTemplateHash(b));
    expect(templatesEqual(template('x'), b)).toBe(false);
  });

  it('changes with the collision count, and uses only its safe alphabet', () => {
    const hashes = [undefined, 1, 2].map((n) => podTemplateHash(template('x'), n));
    expect(new Set(hashes).size).toBe(3);
    for (const h of hashes) expect(h).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,7}$/);
    expect(podTemplateHash(template('x'), 0)).toBe(podTemplateHash(template('x')));
  });
});

describe('revisions', () => {
  it.each([
    { name: 'new ReplicaSet gets the next revision', rs: replicaSet('a', 0), revision: 3, want: { [REVISION_ANNOTATION]: '3' } },
    { name: 'a rollback records the earlier revision', rs: replicaSet('a', 1), revision: 3, want: { [REVISION_ANNOTATION]: '3', [REVISION_HISTORY_ANNOTATION]: '1' } },
    { name: 'history accumulates', rs: { ...replicaSet('a', 3), metadata: { name: 'a', annotations: { [REVISION_ANNOTATION]: '3', [REVISION_HISTORY_ANNOTATION]: '1' } } }, revision: 5, want: { [REVISION_ANNOTATION]: '5', [REVISION_HISTORY_ANNOTATION]: '1,3' } },
    { name: 'never lowered', rs: replicaSet('a', 4), revision: 3, want: { [REVISION_ANNOTATION]: '4' } },
  ])('$name', ({ rs, revision, want }) => {
    expect(revisionAnnotations(rs, revision)).toEqual(want);
  });
});

describe('rollback', () => {
  const rss = [replicaSet('r1', 1), replicaSet('r2', 2), replicaSet('r3', 3)];
  it.each([
    { name: 'to a named revision', revision: 1, current: 3, want: 'r1' },
    { name: 'to the previous one (0)', revision: 0, current: 3, want: 'r2' },
    { name: 'to a revision that does not exist', revision: 7, current: 3, want: undefined },
  ])('$name', ({ revision, current, want }) => {
    expect(rollbackTarget(rss, revision, current)?.metadata.name).toBe(want);
  });

  it.each([
    { annotations: undefined, want: undefined },
    { annotations: { 'deprecated.deployment.rollback.to': '2' }, want: 2 },
    { annotations: { 'deprecated.deployment.rollback.to': 'junk' }, want: 0 },
  ])('reads the rollback request from $annotations', ({ annotations, want }) => {
    expect(rollbackRequest({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { annotations }, spec: { selector: {}, template: {} } })).toBe(want);
  });
});

describe('historyToDelete', () => {
  it.each([
    { name: 'within the limit', olds: [replicaSet('a', 1), replicaSet('b', 2)], limit: 2, want: [] },
    { name: 'lowest revisions first', olds: [replicaSet('c', 3), replicaSet('a', 1), replicaSet('b', 2)], limit: 1, want: ['a', 'b'] },
    { name: 'a ReplicaSet still running pods is not history', olds: [replicaSet('a', 1, 1), replicaSet('b', 2), replicaSet('c', 3)], limit: 1, want: ['b'] },
    { name: 'one whose pods are still terminating neither', olds: [replicaSet('a', 1, 0, 2), replicaSet('b', 2), replicaSet('c', 3)], limit: 1, want: ['b'] },
    { name: 'limit 0 deletes all idle', olds: [replicaSet('a', 1), replicaSet('b', 2)], limit: 0, want: ['a', 'b'] },
  ])('$name', ({ olds, limit, want }) => {
    expect(historyToDelete(olds, limit).map((rs) => rs.metadata.name)).toEqual(want);
  });
});
