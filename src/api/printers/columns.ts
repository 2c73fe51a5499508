// Column-definition builders. Upstream takes most descriptions from the API's swagger docs; ours are
// short summaries (kubectl never prints them). Names, types, formats and priorities match upstream.
import type { TableColumnDefinition, TablePrinter } from './types.js';
import { age } from './duration.js';

/** A column; `type` is the OpenAPI type name upstream declares ('string', 'integer', 'boolean', 'date'). */
export function col(name: string, type: string, description: string, priority = 0): TableColumnDefinition {
  return { name, type, format: '', description, priority };
}

/** A priority-1 column (shown only with `-o wide`). */
export function wide(name: string, type: string, description: string): TableColumnDefinition {
  return col(name, type, description, 1);
}

/** The Name column: format `name` is what makes kubectl prefix `pod/` in `get all` / `--show-kind`. */
export function nameCol(priority = 0): TableColumnDefinition {
  return { name: 'Name', type: 'string', format: 'name', description: 'Object name (metadata.name).', priority };
}

/** The Age column, rendered from metadata.creationTimestamp. */
export function ageCol(): TableColumnDefinition {
  return col('Age', 'string', 'Time since the object was created (metadata.creationTimestamp).');
}

/** The Containers / Images pair (wide) that every workload printer carries. */
export function containerCols(): TableColumnDefinition[] {
  return [
    wide('Containers', 'string', 'Container names from the pod template.'),
    wide('Images', 'string', 'Container images from the pod template.'),
  ];
}

/** Age cell of an object. */
export function objAge(obj: any, now: number): string {
  return age(obj?.metadata?.creationTimestamp, now);
}

/** Name cell of an object ('' when missing, as Go's zero value). */
export function objName(obj: any): string {
  return str(obj?.metadata?.name);
}

/** A string field, '' when absent (Go's zero value). */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

/** An integer field, 0 when absent (Go's zero value); cells of `int64` columns are JSON numbers. */
export function int(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : 0;
}

/** Name + Age: the printer for kinds upstream has no handler for and for custom resources. */
export const nameAgePrinter: TablePrinter = {
  columns: [nameCol(), ageCol()],
  cells: (obj, now) => [objName(obj), objAge(obj, now)],
};

/**
 * The apiserver's generic table convertor (rest.NewDefaultTableConvertor), used upstream for
 * built-in kinds without a printer (Role, ClusterRole, LimitRange…): Name and an RFC3339 "Created At".
 */
export const createdAtPrinter: TablePrinter = {
  columns: [nameCol(), col('Created At', 'date', 'Time the object was created (metadata.creationTimestamp).')],
  cells: (obj) => [objName(obj), rfc3339(obj?.metadata?.creationTimestamp)],
};

// Go formats the zero time as 0001-01-01T00:00:00Z; a present timestamp is re-rendered in UTC without
// fractional seconds, like time.RFC3339.
function rfc3339(ts: unknown): string {
  const t = typeof ts === 'string' ? Date.parse(ts) : NaN;
  if (Number.isNaN(t)) return '0001-01-01T00:00:00Z';
  return new Date(t).toISOString().replace(/\.\d+Z$/, 'Z');
}
