// Query parameters as Kubernetes reads them. Booleans follow Go's strconv.ParseBool (the
// official Python client sends `watch=True`, Go clients `true`, curl users often `1`).

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);

/** Whether a boolean query parameter is set to a true value. */
export function queryBool(value: string | string[] | null | undefined): boolean {
  const v = Array.isArray(value) ? value[0] : value;
  return v !== undefined && v !== null && TRUE.has(v);
}
