// Authorizers chained as Kubernetes chains `--authorization-mode` (union.go): the first allow or
// deny wins; when every one has no opinion the request is refused, with their reasons joined.
// AlwaysAllow and AlwaysDeny are the two trivial modes (`--authorization-mode=AlwaysAllow` is the
// benchmark baseline).
import type { Attributes, Authorizer, Decision } from './types.js';

export class AuthorizerChain implements Authorizer {
  readonly name = 'union';

  constructor(private readonly authorizers: readonly Authorizer[]) {}

  async authorize(attrs: Attributes): Promise<Decision> {
    const reasons: string[] = [];
    for (const a of this.authorizers) {
      const d = await a.authorize(attrs);
      if (d.decision !== 'no-opinion') return d;
      if (d.reason) reasons.push(d.reason);
    }
    return { decision: 'no-opinion', reason: reasons.join(', ') };
  }
}

export const alwaysAllow: Authorizer = { name: 'AlwaysAllow', authorize: () => ({ decision: 'allow' }) };
export const alwaysDeny: Authorizer = { name: 'AlwaysDeny', authorize: () => ({ decision: 'deny', reason: 'Everything is forbidden.' }) };
