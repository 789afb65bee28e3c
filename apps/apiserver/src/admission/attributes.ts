// Small helpers every admission plugin needs, as k8s.io/apiserver/pkg/admission words them:
// the name an error reports, the resource it names, and how several errors read as one.
import type { KubeObject, ResourceType } from '@kite/api-types';
import { forbidden, type ApiError, type GroupResource } from '@kite/apimachinery';
import type { AdmissionAttributes } from './interface.js';

/** The resource of the request, as errors name it (`pods`, `deployments.apps`). */
export function groupResource(attrs: AdmissionAttributes): GroupResource {
  return { group: attrs.rt.group, plural: attrs.rt.plural };
}

/** A typed registry entry as the AdmissionContext takes it (entries are invariant in their kind). */
export const untyped = <T extends KubeObject>(rt: ResourceType<T>): ResourceType => rt as unknown as ResourceType;

/** Whether the request is about this kind (the main resource or one of its subresources). */
export function isKind(attrs: AdmissionAttributes, group: string, kind: string): boolean {
  return attrs.rt.group === group && attrs.rt.kind === kind;
}

/**
 * The name an admission error reports: the request's, else the object's name, else its
 * generateName (names are generated after admission), else `Unknown` (extractResourceName).
 */
export function objectName(attrs: AdmissionAttributes, obj: KubeObject | undefined): string {
  if (attrs.name) return attrs.name;
  return obj?.metadata?.name || obj?.metadata?.generateName || 'Unknown';
}

/** admission.NewForbidden: `pods "x" is forbidden: <why>`. */
export function admissionForbidden(attrs: AdmissionAttributes, obj: KubeObject | undefined, why: string): ApiError {
  return forbidden(groupResource(attrs), objectName(attrs, obj), why);
}

/** utilerrors.NewAggregate(...).Error(): one message bare, several (deduplicated) in brackets. */
export function aggregateMessages(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? (unique[0] ?? '') : `[${unique.join(', ')}]`;
}
