// The RBAC authorizer (plugin/pkg/auth/authorizer/rbac): allows a request when some rule bound to
// the user matches it; otherwise it has no opinion (the chain then refuses), with the errors it
// met (missing roles) as the reason Kubernetes appends to the 403 message.
import type { Attributes, Authorizer, Decision } from '../types.js';
import type { RbacSource } from './memory-source.js';
import { visitRulesFor } from './rule-resolver.js';
import { ruleAllows } from './rule-match.js';

export class RbacAuthorizer implements Authorizer {
  readonly name = 'RBAC';
  private readonly source: RbacSource;

  constructor(opts: { source: RbacSource }) {
    this.source = opts.source;
  }

  authorize(attrs: Attributes): Decision {
    let allowedBy: string | undefined;
    const errors: string[] = [];
    const namespace = attrs.resourceRequest ? attrs.namespace : '';
    visitRulesFor(this.source, attrs.user, namespace, (from, rule, err) => {
      if (err) errors.push(err);
      if (rule && from && ruleAllows(attrs, rule)) {
        allowedBy = from.describe();
        return false;
      }
      return true;
    });
    if (allowedBy !== undefined) return { decision: 'allow', reason: `RBAC: allowed by ${allowedBy}` };
    return errors.length > 0 ? { decision: 'no-opinion', reason: `RBAC: ${errors.join(', ')}` } : { decision: 'no-opinion' };
  }
}
