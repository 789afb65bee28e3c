// Asking a Deployment for one replica through its `scale` subresource (autoscaling/v1 Scale), as
// `kubectl scale` and the HPA do, so the proxy needs no write access to Deployments themselves.
//
// Contract:
// - Reads the Scale; at 1 replica or more it does nothing (`Running`): pods are on their way, or
//   somebody (another proxy, the HPA, a user) sized it already, and the proxy must not shrink it.
// - At 0 it writes 1 with the resourceVersion it read (`ScaledUp`). A 409 means the Deployment
//   changed in between — typically another proxy asked first — so it reads again and decides
//   again, at most MAX_CONFLICTS times. Several proxies holding requests for one Service thus
//   produce exactly one scale-up.
// - Other errors (403 without RBAC, 404 for a Deployment just deleted) are thrown to the caller.
import type { Deployment } from '@kite/api-types';
import { isApiError } from '@kite/apimachinery';
import type { ResourceClient } from '@kite/client';

/** Re-reads after a 409 before giving up (each means somebody else wrote the Deployment). */
const MAX_CONFLICTS = 5;
const HTTP_CONFLICT = 409;

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
  constructor(private readonly deployments: Pick<ResourceClient<Deployment>, 'getScale' | 'updateScale'>) {}

  async requestReplica(namespace: string, name: string): Promise<ScaleOutcome> {
    for (let attempt = 0; ; attempt++) {
      const scale = await this.deployments.getScale(name, { namespace });
      if ((scale.spec?.replicas ?? 0) >= 1) return ScaleOutcomes.Running;
      try {
        await this.deployments.updateScale(name, { ...scale, spec: { ...scale.spec, replicas: 1 } }, { namespace });
        return ScaleOutcomes.ScaledUp;
      } catch (err) {
        if (!isApiError(err) || err.code !== HTTP_CONFLICT || attempt + 1 >= MAX_CONFLICTS) throw err;
      }
    }
  }
}
