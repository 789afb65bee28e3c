// Which Service a DNS name asks for (pure; table-tested).
//
// Accepted forms, case-insensitive, with or without the trailing dot:
//   SVC.NS.svc.<cluster domain>   the fully qualified name, as Kubernetes' DNS spec defines it
//   SVC.NS.svc                    the same without the cluster domain
//   SVC.NS                        the short form a pod's search path would expand
// Anything else names no Service.
export interface ServiceName {
  service: string;
  namespace: string;
}

/** The label Kubernetes puts between a namespace and the cluster domain. */
const SERVICE_LABEL = 'svc';

export function parseServiceName(qname: string, clusterDomain: string): ServiceName | undefined {
  const name = qname.toLowerCase().replace(/\.$/, '');
  const fqSuffix = `.${SERVICE_LABEL}.${clusterDomain}`;
  const shortSuffix = `.${SERVICE_LABEL}`;
  let rest = name;
  if (name.endsWith(fqSuffix)) rest = name.slice(0, -fqSuffix.length);
  else if (name.endsWith(shortSuffix) && name.split('.').length === 3) rest = name.slice(0, -shortSuffix.length);
  const labels = rest.split('.');
  if (labels.length !== 2) return undefined;
  const [service, namespace] = labels;
  if (!service || !namespace) return undefined;
  return { service, namespace };
}
