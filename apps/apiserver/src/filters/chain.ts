// The request path as Kubernetes builds it (DefaultBuildHandlerChain), one link per filter, each
// in its own file: authentication → impersonation → authorization. Later links (audit, priority
// and fairness) join here rather than in the handlers. Each is a Fastify onRequest hook, so it
// runs before the body is read: a request that is not allowed costs no parsing.
import type { FastifyInstance } from 'fastify';
import type { Authenticator, Authorizer } from '../auth/types.js';
import { authenticationFilter } from './authentication.js';
import { authorizationFilter } from './authorization.js';
import { impersonationFilter } from './impersonation.js';

export interface FilterChainOptions {
  authenticator: Authenticator;
  anonymous: boolean;
  authorizer: Authorizer;
}

export function installFilters(app: FastifyInstance, opts: FilterChainOptions): void {
  app.decorateRequest('kite', undefined);
  app.addHook('onRequest', authenticationFilter({ authenticator: opts.authenticator, anonymous: opts.anonymous }));
  app.addHook('onRequest', impersonationFilter(opts.authorizer));
  app.addHook('onRequest', authorizationFilter(opts.authorizer));
}
