// Table tests of the local-path provisioner's plan: the PV it makes (common interface point 2) and
// the claims it refuses (no node, too big for the flag or the class's maxSize, selector, Block).
import { describe, expect, it } from 'vitest';
import { planLocalPathVolume } from '../../../src/volume/local-path.js';
import { claim, storageClass } from './fixtures.js';

const opts = { root: '/tmp/lp/', maxSize: '1Ti' };
const lp = storageClass('local-path', 'WaitForFirstConsumer', { reclaimPolicy: 'Retain' });

describe('planLocalPathVolume', () => {
  it('makes a hostPath PV pre-bound to the claim, with node affinity to the chosen node', () => {
    const plan = planLocalPathVolume(claim('data', { size: '3Gi', className: 'local-path' }), lp, 'n1', 'host-1', opts);
    expect('volume' in plan).toBe(true);
    if (!('volume' in plan)) return;
    const pv = plan.volume;
    expect(pv.metadata.name).toBe('pvc-uid-data');
    expect(pv.metadata.annotations).toEqual({ 'pv.kubernetes.io/provisioned-by': 'kite.dev/local-path', 'pv.kubernetes.io/bound-by-controller': 'yes' });
    expect(pv.metadata.finalizers).toEqual(['kite.dev/local-path-cleanup']);
    expect(pv.spec?.hostPath).toEqual({ path: '/tmp/lp/pvc-uid-data', type: 'DirectoryOrCreate' });
    expect(pv.spec?.capacity).toEqual({ storage: '3Gi' });
    expect(pv.spec?.persistentVolumeReclaimPolicy).toBe('Retain');
    expect(pv.spec?.storageClassName).toBe('local-path');
    expect(pv.spec?.claimRef).toMatchObject({ namespace: 'ns', name: 'data', uid: 'uid-data' });
    expect(pv.spec?.nodeAffinity?.required?.nodeSelectorTerms[0]?.matchExpressions).toEqual([{ key: 'kubernetes.io/hostname', operator: 'In', values: ['host-1'] }]);
  });

  it.each([
    { name: 'no node', node: undefined, size: '1Gi', sc: lp, want: /no node was specified/ },
    { name: 'bigger than --local-path-max-size', node: 'n1', size: '2Ti', sc: lp, want: /requested storage 2Ti exceeds the maximum volume size 1Ti/ },
    { name: "bigger than the class's maxSize", node: 'n1', size: '20Gi', sc: storageClass('small', 'WaitForFirstConsumer', { parameters: { maxSize: '10Gi' } }), want: /exceeds the maximum volume size 10Gi/ },
    { name: 'bad maxSize parameter', node: 'n1', size: '1Gi', sc: storageClass('bad', 'WaitForFirstConsumer', { parameters: { maxSize: 'lots' } }), want: /invalid parameter maxSize "lots"/ },
  ])('refuses: $name', ({ node, size, sc, want }) => {
    const plan = planLocalPathVolume(claim('c', { size }), sc, node, undefined, opts);
    expect('error' in plan && plan.error).toMatch(want);
  });

  it('refuses a selector and Block mode', () => {
    expect(planLocalPathVolume(claim('c', { selector: { a: 'b' } }), lp, 'n1', undefined, opts)).toEqual({ error: 'claim.Spec.Selector is not supported for dynamic provisioning' });
    expect('error' in planLocalPathVolume(claim('c', { volumeMode: 'Block' }), lp, 'n1', undefined, opts)).toBe(true);
  });
});
