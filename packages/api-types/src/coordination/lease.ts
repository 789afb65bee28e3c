// coordination.k8s.io/v1 Lease: a lock with a holder and an expiry. Kubelets renew one each in
// kube-node-lease as their heartbeat; scheduler and controller manager elect a leader with one.
import { Type, type Static } from '@sinclair/typebox';
import { defineResource } from '../define.js';
import { ObjectMeta, type StatusCause } from '../meta/v1.js';
import { OptInt, OptString } from '../schema.js';
import { invalid, required } from '../validation/causes.js';
import { validateNonNegative, validatePositive } from '../validation/fields.js';

/** Namespace of the kubelets' heartbeat leases. */
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

export const LeaseSpec = Type.Object(
  {
    holderIdentity: OptString('Current holder of the lease.'),
    leaseDurationSeconds: OptInt('Seconds a candidate must wait after the last renewal before taking the lease.'),
    acquireTime: OptString('When the current holder took the lease (RFC 3339 with microseconds).'),
    renewTime: OptString('When the holder last renewed the lease.'),
    leaseTransitions: OptInt('Number of holder changes.'),
    strategy: OptString('Strategy for picking the next holder (coordinated leader election).'),
    preferredHolder: OptString('Holder the lease should pass to (coordinated leader election).'),
  },
  { description: 'The state of a lease.' },
);
export type LeaseSpec = Static<typeof LeaseSpec>;

export const Lease = Type.Object(
  { apiVersion: Type.Literal('coordination.k8s.io/v1'), kind: Type.Literal('Lease'), metadata: ObjectMeta, spec: Type.Optional(LeaseSpec) },
  { description: 'A lease: a lock with a holder, for heartbeats and leader election.' },
);
export type Lease = Static<typeof Lease>;

const validTime = (t: string | undefined): boolean => t === undefined || !Number.isNaN(Date.parse(t));

function validateLease(lease: Lease): StatusCause[] {
  const spec = lease.spec ?? {};
  const out = [...validatePositive(spec.leaseDurationSeconds, 'spec.leaseDurationSeconds'), ...validateNonNegative(spec.leaseTransitions, 'spec.leaseTransitions')];
  for (const f of ['acquireTime', 'renewTime'] as const) {
    if (!validTime(spec[f])) out.push(invalid(`spec.${f}`, spec[f], 'must be an RFC 3339 time'));
  }
  if (spec.preferredHolder && !spec.strategy) out.push(required('spec.strategy', 'must be specified when preferredHolder is set'));
  return out;
}

export const LeaseResource = defineResource<Lease>({
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  plural: 'leases',
  namespaced: true,
  schema: Lease,
  validate: validateLease,
});
