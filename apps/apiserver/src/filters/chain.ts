// The request path as Kubernetes builds it (DefaultBuildHandlerChain), one link per filter, each
// in its own file: authentication → audit → impersonation → authorization. Later links (priority
// and fairness) join here rather than in the handlers. Each is a Fastify onRequest hook, so it
// runs before the body is read: a request that is not allowed costs no parsing.
import type { FastifyInstance } from 'fastify';
import type { Authenticator, Authorizer } from '../auth/types.js';
import { auditFilter, auditRequestBody, auditResponseBody, failedAuthenticationAudit, type AuditOptions } from './audit.js';
import { authenticationFilter } from './authentication.js';
import { authorizationFilter } from './authorization.js';
import { impersonationFilter } from './impersonation.js';

export interface FilterChainOptions {
  authenticator: Authenticator;
  anonymous: boolean;
  authorizer: Authorizer;
  /** `--audit-policy-file` and `--audit-log-path`; without them nothing is audited. */
  audit?: AuditOptions;
}

export function installFilters(app: FastifyInstance, opts: FilterChainOptions): void {
  app.decorateRequest('kite', undefined);
  const failed = opts.audit ? failedAuthenticationAudit(opts.audit) : undefined;
  app.addHook('onRequest', authenticationFilter({ authenticator: opts.authenticator, anonymous: opts.anonymous, ...(failed ? { failed } : {}) }));
  if (opts.audit) {
    app.decorateRequest('kiteAudit', undefined);
    app.addHook('onRequest', auditFilter(opts.audit));
    app.addHook('preHandler', auditRequestBody);
    app.addHook('onSend', auditResponseBody);
  }
  app.addHook('onRequest', impersonationFilter(opts.authorizer));
  app.addHook('onRequest', authorizationFilter(opts.authorizer));
}
