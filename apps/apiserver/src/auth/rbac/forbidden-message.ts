// The 403 message Kubernetes writes (endpoints/handlers/responsewriters.forbiddenMessage):
//   pods is forbidden: User "x" cannot list resource "pods" in API group "" in the namespace "y"
//   deployments.apps "d" is forbidden: User "x" cannot get resource "pods/log" in API group "" in the namespace "y"
//   forbidden: User "x" cannot get path "/metrics"
// followed by ": REASON" when the authorizers gave one.
import type { Attributes } from '../types.js';

export function forbiddenMessage(attrs: Attributes, reason: string | undefined): string {
  const who = `User "${attrs.user.username}"`;
  let msg: string;
  if (!attrs.resourceRequest) {
    msg = `forbidden: ${who} cannot ${attrs.verb} path "${attrs.path}"`;
  } else {
    const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
    // apierrors.NewForbidden names the group-qualified resource: `deployments.apps`.
    const qualified = attrs.apiGroup ? `${attrs.resource}.${attrs.apiGroup}` : attrs.resource;
    const subject = attrs.name ? `${qualified} "${attrs.name}"` : qualified;
    const where = attrs.namespace ? ` in the namespace "${attrs.namespace}"` : ' at the cluster scope';
    msg = `${subject} is forbidden: ${who} cannot ${attrs.verb} resource "${resource}" in API group "${attrs.apiGroup}"${where}`;
  }
  return reason ? `${msg}: ${reason}` : msg;
}
