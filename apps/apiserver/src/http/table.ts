// meta.k8s.io/v1 Table responses, what `kubectl get` asks for: per-kind columns as Kubernetes'
// printers define them (columns.ts), each row carrying the object's metadata so `-A`,
// `--show-labels` and `-w` work. Cells are computed from the storage version of a kind served at
// several versions (as Kubernetes' printers see its internal version), so columns are written once.
import { resourceForKind, type KubeObject } from '@kite/api-types';
import { columnsFor, type Column } from './columns.js';

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string };
  columnDefinitions: TableColumnDefinition[];
  rows: Array<{ cells: unknown[]; object: unknown }>;
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function partialObjectMetadata(obj: KubeObject): { apiVersion: string; kind: string; metadata: KubeObject['metadata'] } {
  return { apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadata', metadata: obj.metadata };
}

function definitions(cols: Column[]): TableColumnDefinition[] {
  return cols.map((c) => ({ name: c.name, type: c.type ?? 'string', format: c.format ?? '', description: c.description ?? c.name, priority: c.priority ?? 0 }));
}

/** The object as the kind's columns read it: at its storage version. */
function printable(obj: KubeObject): KubeObject {
  return resourceForKind(obj.apiVersion, obj.kind)?.conversion?.toStorage(obj) ?? obj;
}

export function toTable(kind: string, items: KubeObject[], meta: Table['metadata'], include: IncludeObject = 'Metadata'): Table {
  const cols = columnsFor(kind);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: meta,
    columnDefinitions: definitions(cols),
    rows: items.map((obj) => {
      const printed = printable(obj);
      return { cells: cols.map((c) => c.value(printed)), object: include === 'Object' ? obj : include === 'None' ? null : partialObjectMetadata(obj) };
    }),
  };
}
