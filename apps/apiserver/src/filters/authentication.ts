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
  /** Called before a 401 is sent (the audit of failed authentication). */
  failed?: (req: FastifyRequest, message: string) => void;
}

/** What credentials a refused request tried, worded as Kubernetes' audit words it. */
function attemptedMethods(req: FastifyRequest): string {
  const methods: string[] = [];
  const auth = (req.headers.authorization ?? '').trim().split(' ');
  if (auth[0]?.toLowerCase() === 'basic') methods.push('basic');
  if (auth.length > 1 && auth[0]?.toLowerCase() === 'bearer') methods.push('bearer');
  const socket = req.raw.socket as { getPeerCertificate?: () => { raw?: Buffer } };
  if (socket.getPeerCertificate?.()?.raw) methods.push('x509');
  return methods.length > 0 ? `Authentication failed, attempted: ${methods.join(', ')}` : 'Authentication failed, no credentials provided';
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
    const attempted = opts.failed && result.kind !== 'user' ? attemptedMethods(req) : '';
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
    opts.failed?.(req, attempted);
    return unauthorized(reply);
  };
}
