// Whether a binding's subject names a user (pkg/registry/rbac/validation/rule.go appliesToUser):
// a User by name, a Group by membership, a ServiceAccount by its system:serviceaccount:NS:NAME
// user name (the namespace defaults to the binding's).
import type { Subject } from '@kite/api-types';
import { SERVICE_ACCOUNT_USER_PREFIX, type UserInfo } from '../types.js';

export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_USER_PREFIX}${namespace}:${name}`;
}

export function appliesTo(user: UserInfo, subject: Subject, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.username === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const ns = subject.namespace || bindingNamespace;
      return ns !== '' && user.username === serviceAccountUsername(ns, subject.name);
    }
    default:
      return false;
  }
}

export const describeSubject = (s: Subject, bindingNamespace: string): string =>
  s.kind === 'ServiceAccount' ? `ServiceAccount "${s.namespace || bindingNamespace}/${s.name}"` : `${s.kind} "${s.name}"`;
