// Asking a Deployment for one replica through its `scale` subresource (autoscaling/v1 Scale), as
// `kubectl scale` and the HPA do, so the proxy needs no write access to Deployments themselves.
//
// Contract:
// - One round trip in the usual case: a JSON patch that tests `spec.replicas` is 0 and replaces it
//   with 1 (`ScaledUp`). The apiserver applies it atomically on the current object, so of several
//   proxies holding requests for one Service exactly one scales up.
// - The test failing (422: somebody — another proxy, the HPA, a user — sized it already) is not an
//   error: the Scale is read, and at 1 replica or more the proxy only waits (`Running`); it never
//   shrinks a Deployment. Still at 0 (it went back in between): patch again, at most MAX_ATTEMPTS.
// - Other errors (403 without RBAC, 404 for a Deployment just deleted) are thrown to the caller.
import type { Deployment } from '@kite/api-types';
import { isApiError } from '@kite/apimachinery';
import type { ResourceClient } from '@kite/client';

/** Patches tried before giving up (each failed test means somebody else wrote the Deployment). */
const MAX_ATTEMPTS = 5;
const HTTP_UNPROCESSABLE = 422;

/** 0 → 1, and only from 0. */
const ZERO_TO_ONE = [
  { op: 'test', path: '/spec/replicas', value: 0 },
  { op: 'replace', path: '/spec/replicas', value: 1 },
];

export const ScaleOutcomes = {
  /** This call moved the Deployment from 0 to 1 replica. */
  ScaledUp: 'ScaledUp',
  /** The Deployment already asks for at least one replica: only wait for it. */
  Running: 'Running',
} as const;
export type ScaleOutcome = (typeof ScaleOutcomes)[keyof typeof ScaleOutcomes];

/** What the activator needs to get a replica; a test can count the calls. */
export interface ReplicaRequester {
  requestReplica(namespace: string, name: string): Promise<ScaleOutcome>;
}

export class DeploymentScaler implements ReplicaRequester {
  constructor(private readonly deployments: Pick<ResourceClient<Deployment>, 'getScale' | 'patchScale'>) {}

  async requestReplica(namespace: string, name: string): Promise<ScaleOutcome> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.deployments.patchScale(name, ZERO_TO_ONE, { namespace, type: 'json' });
        return ScaleOutcomes.ScaledUp;
      } catch (err) {
        if (!isApiError(err) || err.code !== HTTP_UNPROCESSABLE) throw err;
        const scale = await this.deployments.getScale(name, { namespace });
        if ((scale.spec?.replicas ?? 0) >= 1) return ScaleOutcomes.Running;
        if (attempt >= MAX_ATTEMPTS) throw err;
      }
    }
  }
}
