// The create-only review kinds of authentication.k8s.io and authorization.k8s.io. They are never
// stored: a POST returns the request with its status computed (TokenReview, SelfSubjectReview,
// the access reviews, SelfSubjectRulesReview). The apiserver computes them; these entries give
// them paths, discovery entries (verb `create` only) and a schema.
import { Type, type TSchema } from '@sinclair/typebox';
import { defineResource } from '../define.js';
import { ObjectMeta, type KubeObject } from '../meta/v1.js';
import type { ResourceType } from '../registry.js';

function reviewSchema(apiVersion: string, kind: string, description: string): TSchema {
  return Type.Object(
    {
      apiVersion: Type.Literal(apiVersion),
      kind: Type.Literal(kind),
      metadata: Type.Optional(ObjectMeta),
      spec: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
      status: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    },
    { description },
  );
}

function review(group: string, kind: string, plural: string, namespaced: boolean, description: string): ResourceType {
  const rt = defineResource<KubeObject>({ group, version: 'v1', kind, plural, namespaced, schema: reviewSchema(`${group}/v1`, kind, description), virtual: true });
  return rt;
}

export const TokenReviewResource = review('authentication.k8s.io', 'TokenReview', 'tokenreviews', false, 'Asks whether a bearer token is valid and whose it is.');
export const SelfSubjectReviewResource = review('authentication.k8s.io', 'SelfSubjectReview', 'selfsubjectreviews', false, 'Returns who the requester is.');
export const SubjectAccessReviewResource = review('authorization.k8s.io', 'SubjectAccessReview', 'subjectaccessreviews', false, 'Asks whether a user may perform an action.');
export const LocalSubjectAccessReviewResource = review('authorization.k8s.io', 'LocalSubjectAccessReview', 'localsubjectaccessreviews', true, 'Asks whether a user may perform an action in one namespace.');
export const SelfSubjectAccessReviewResource = review('authorization.k8s.io', 'SelfSubjectAccessReview', 'selfsubjectaccessreviews', false, 'Asks whether the requester may perform an action.');
export const SelfSubjectRulesReviewResource = review('authorization.k8s.io', 'SelfSubjectRulesReview', 'selfsubjectrulesreviews', false, 'Lists what the requester may do in a namespace.');

export const reviewResources: readonly ResourceType[] = [
  TokenReviewResource,
  SelfSubjectReviewResource,
  SubjectAccessReviewResource,
  LocalSubjectAccessReviewResource,
  SelfSubjectAccessReviewResource,
  SelfSubjectRulesReviewResource,
];
