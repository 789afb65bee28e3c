// What token authenticators need to read from cluster state: the objects a token is bound to.
// Backed by the apiserver's own storage; an authenticator never reaches Redis directly.
import type { KubeObject } from '@kite/api-types';

export interface ObjectLookup {
  /** The object, or undefined when it does not exist. */
  get(resource: 'serviceaccounts' | 'pods' | 'secrets' | 'nodes', namespace: string, name: string): Promise<KubeObject | undefined>;
}
