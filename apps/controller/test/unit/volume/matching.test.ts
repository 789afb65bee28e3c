// Table tests of findBestMatch: which static volume a claim binds to (class, size, access modes,
// selector, volume mode, phase, pre-binding, node affinity), and that the smallest fit wins.
import { describe, expect, it } from 'vitest';
import type { PersistentVolume, PersistentVolumeClaim } from '@kite/api-types';
import { findBestMatch, nodeSelectorAdmits, volumeMismatch } from '../../../src/volume/matching.js';
import { claim, volume } from './fixtures.js';

interface Case {
  name: string;
  claim: PersistentVolumeClaim;
  volumes: PersistentVolume[];
  node?: string;
  want: string | undefined;
}

describe('findBestMatch', () => {
  it.each<Case>([
    { name: 'exact fit', claim: claim('c'), volumes: [volume('a')], want: 'a' },
    { name: 'smallest big-enough volume', claim: claim('c', { size: '2Gi' }), volumes: [volume('big', { size: '10Gi' }), volume('small', { size: '1Gi' }), volume('mid', { size: '3Gi' })], want: 'mid' },
    { name: 'ties broken by name', claim: claim('c'), volumes: [volume('b'), volume('a')], want: 'a' },
    { name: 'too small', claim: claim('c', { size: '5Gi' }), volumes: [volume('a', { size: '4Gi' })], want: undefined },
    { name: 'class must match', claim: claim('c', { className: 'fast' }), volumes: [volume('slow', { className: 'slow' }), volume('fast', { className: 'fast', size: '5Gi' })], want: 'fast' },
    { name: 'no class matches only classless volumes', claim: claim('c', { className: '' }), volumes: [volume('x', { className: 'fast' })], want: undefined },
    { name: 'access modes must all be offered', claim: claim('c', { modes: ['ReadWriteMany'] }), volumes: [volume('rwo'), volume('rwx', { modes: ['ReadWriteOnce', 'ReadWriteMany'], size: '9Gi' })], want: 'rwx' },
    { name: 'selector', claim: claim('c', { selector: { tier: 'gold' } }), volumes: [volume('plain'), volume('gold', { labels: { tier: 'gold' }, size: '9Gi' })], want: 'gold' },
    { name: 'volume mode', claim: claim('c', { volumeMode: 'Block' }), volumes: [volume('fs'), volume('blk', { volumeMode: 'Block' })], want: 'blk' },
    { name: 'bound volumes are skipped', claim: claim('c'), volumes: [volume('a', { claimRef: { name: 'other', uid: 'u' }, phase: 'Bound' })], want: undefined },
    { name: 'Released volumes are skipped', claim: claim('c'), volumes: [volume('a', { phase: 'Released' })], want: undefined },
    { name: 'volumes being deleted are skipped', claim: claim('c'), volumes: [volume('a', { deleting: true })], want: undefined },
    { name: 'pre-bound volume wins over a smaller one', claim: claim('c'), volumes: [volume('small'), volume('mine', { size: '5Gi', claimRef: { name: 'c' }, phase: 'Pending' })], want: 'mine' },
    { name: 'pre-bound to another uid is not ours', claim: claim('c'), volumes: [volume('a', { claimRef: { name: 'c', uid: 'old' } })], want: undefined },
    { name: 'node affinity admits the chosen node', claim: claim('c'), volumes: [volume('n2', { node: 'n2' }), volume('n1', { node: 'n1', size: '9Gi' })], node: 'n1', want: 'n1' },
    { name: 'node affinity refuses another node', claim: claim('c'), volumes: [volume('n2', { node: 'n2' })], node: 'n1', want: undefined },
    { name: 'node affinity ignored without a node', claim: claim('c'), volumes: [volume('n2', { node: 'n2' })], want: 'n2' },
  ])('$name', ({ claim: c, volumes, node, want }) => {
    const labels = node ? { 'kubernetes.io/hostname': node } : undefined;
    expect(findBestMatch(c, volumes, labels)?.metadata.name).toBe(want);
  });
});

describe('volumeMismatch', () => {
  it.each([
    { name: 'fits', pv: volume('a'), pvc: claim('c'), want: undefined },
    { name: 'small', pv: volume('a'), pvc: claim('c', { size: '2Gi' }), want: 'requested PV is too small' },
    { name: 'class', pv: volume('a', { className: 'x' }), pvc: claim('c'), want: 'storageClassName does not match' },
    { name: 'mode', pv: volume('a'), pvc: claim('c', { volumeMode: 'Block' }), want: 'incompatible volumeMode' },
    { name: 'access', pv: volume('a'), pvc: claim('c', { modes: ['ReadOnlyMany'] }), want: 'incompatible accessMode' },
  ])('$name', ({ pv, pvc, want }) => expect(volumeMismatch(pv, pvc)).toBe(want));
});

describe('nodeSelectorAdmits', () => {
  const term = (operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt', values?: string[]) => ({ nodeSelectorTerms: [{ matchExpressions: [{ key: 'k', operator, ...(values ? { values } : {}) }] }] });
  it.each<{ sel: ReturnType<typeof term>; labels: Record<string, string>; want: boolean }>([
    { sel: term('In', ['a']), labels: { k: 'a' }, want: true },
    { sel: term('In', ['a']), labels: { k: 'b' }, want: false },
    { sel: term('NotIn', ['a']), labels: {}, want: true },
    { sel: term('Exists'), labels: { k: '' }, want: true },
    { sel: term('DoesNotExist'), labels: { k: 'x' }, want: false },
    { sel: term('Gt', ['3']), labels: { k: '4' }, want: true },
    { sel: term('Lt', ['3']), labels: { k: '4' }, want: false },
  ])('$sel.nodeSelectorTerms.0.matchExpressions.0.operator $labels → $want', ({ sel, labels, want }) => expect(nodeSelectorAdmits(sel, labels)).toBe(want));
});
