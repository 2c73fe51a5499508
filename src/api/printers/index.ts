// Server-side Table printing (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`): the column
// definitions and cells upstream's pkg/printers/internalversion produces for built-in kinds (1.32).
// The API server builds the Table envelope, rows[].object and list metadata itself.
import type { TablePrinter } from './types.js';
import { nameAgePrinter } from './columns.js';
import { lookupPrinter } from './registry.js';

export type { TableColumnDefinition, TablePrinter } from './types.js';
export { humanDuration, age } from './duration.js';

/** The printer for a kind (group '' = core), or the default Name/Age printer. */
export function printerFor(group: string, kind: string): TablePrinter {
  return lookupPrinter(group, kind) ?? nameAgePrinter;
}
