// The union of authenticators, as Kubernetes chains them: the first that recognises the
// credentials decides; an error from one is final (bad credentials are not retried elsewhere).
// Every authenticated user also gets `system:authenticated`, added here once.
import { GROUP_AUTHENTICATED, type AuthenticationResult, type Authenticator, type AuthRequest } from '../types.js';

export class UnionAuthenticator implements Authenticator {
  readonly name = 'union';

  constructor(private readonly authenticators: readonly Authenticator[]) {}

  async authenticate(req: AuthRequest): Promise<AuthenticationResult> {
    for (const a of this.authenticators) {
      const r = await a.authenticate(req);
      if (r.kind === 'none') continue;
      if (r.kind === 'user' && !r.user.groups.includes(GROUP_AUTHENTICATED)) r.user.groups.push(GROUP_AUTHENTICATED);
      return r;
    }
    return { kind: 'none' };
  }
}
