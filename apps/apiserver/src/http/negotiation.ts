// Response forms a client may ask for in Accept: plain JSON, a meta.k8s.io Table (what kubectl get
// asks for), or PartialObjectMetadata. Protobuf is never served; clients that also accept JSON get
// JSON, as Kubernetes' negotiation allows.
export type ResponseForm = 'json' | 'table' | 'metadata';

export function responseForm(accept: string | undefined): ResponseForm {
  if (!accept) return 'json';
  for (const part of accept.split(',')) {
    const params = part.split(';').map((p) => p.trim());
    const as = params.find((p) => p.startsWith('as='))?.slice(3);
    if (as === 'Table') return 'table';
    if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') return 'metadata';
    if (params[0] === 'application/json' || params[0] === '*/*' || params[0] === 'application/*') return 'json';
  }
  return 'json';
}
