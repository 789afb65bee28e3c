// What the create-only "review" resources need (authentication.k8s.io and authorization.k8s.io):
// the authenticator (TokenReview), the authorizer (the access reviews), the RBAC rule listing
// (SelfSubjectRulesReview) and the token issuer (TokenRequest). They are never stored: a POST
// computes the answer and returns the object with its status filled in, as Kubernetes does.
import type { KubeObject } from '@kite/api-types';
import type { Authenticator, Authorizer, UserInfo } from '../../auth/types.js';
import type { TokenIssuer } from '../../auth/tokens/issuer.js';

export interface SubjectRules {
  resourceRules: Array<{ verbs: string[]; apiGroups?: string[]; resources?: string[]; resourceNames?: string[] }>;
  nonResourceRules: Array<{ verbs: string[]; nonResourceURLs?: string[] }>;
  incomplete: boolean;
  evaluationError?: string;
}

export interface ReviewDeps {
  authenticator: Authenticator;
  authorizer: Authorizer;
  rulesFor(user: UserInfo, namespace: string): SubjectRules;
  issuer?: TokenIssuer;
  /** Audiences the API accepts (TokenRequest's default audience, TokenReview's default). */
  apiAudiences: string[];
}

export interface ReviewRequest {
  /** The requesting user (after impersonation). */
  user: UserInfo;
  /** The namespace of the path, for namespaced reviews. */
  namespace: string;
  body: Record<string, unknown> & KubeObject;
}

export type ReviewHandler = (req: ReviewRequest, deps: ReviewDeps) => Promise<KubeObject>;
