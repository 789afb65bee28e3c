// The authentication filter (k8s.io/apiserver/pkg/endpoints/filters/authentication.go): runs the
// union of authenticators on every request. Credentials that fail are a 401 at once. A request
// with no credentials is anonymous (`system:anonymous` in `system:unauthenticated`) only on the
// public paths — health checks and /version, as Kubernetes 1.32's anonymous-auth `conditions` can
// restrict it — and gets a 401 everywhere else. The Authorization header is removed once read, so
// nothing after this filter (audit, logs, proxying) ever sees a credential.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { failureStatus } from '@kite/apimachinery';
import { requestInfo } from '../auth/request-info.js';
import { GROUP_UNAUTHENTICATED, USER_ANONYMOUS, type Authenticator } from '../auth/types.js';

/** Paths served to requests without credentials (when anonymous auth is on). */
export const ANONYMOUS_PATHS = ['/healthz', '/livez', '/readyz', '/version'];

export interface AuthenticationFilterOptions {
  authenticator: Authenticator;
  /** `--anonymous-auth`: whether ANONYMOUS_PATHS answer requests without credentials. */
  anonymous: boolean;
}

function publicPath(path: string): boolean {
  return ANONYMOUS_PATHS.some((p) => path === p || path === `${p}/` || path.startsWith(`${p}/`));
}

export function unauthorized(reply: FastifyReply, message = 'Unauthorized'): FastifyReply {
  return reply.code(401).type('application/json').send(JSON.stringify(failureStatus(401, 'Unauthorized', message)));
}

export function authenticationFilter(opts: AuthenticationFilterOptions) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const info = requestInfo(req.method, req.url);
    const result = await opts.authenticator.authenticate({ headers: req.headers, socket: req.raw.socket as never });
    delete req.headers.authorization;
    if (result.kind === 'user') {
      req.kite = { info, user: result.user, method: result.method };
      return undefined;
    }
    if (result.kind === 'none' && opts.anonymous && !info.isResourceRequest && publicPath(info.path)) {
      req.kite = { info, user: { username: USER_ANONYMOUS, groups: [GROUP_UNAUTHENTICATED] }, method: 'anonymous' };
      return undefined;
    }
    if (result.kind === 'error') req.log.debug({ reason: result.message }, 'authentication failed');
    return unauthorized(reply);
  };
}
