// scheduling.k8s.io/v1 PriorityClass, after upstream printPriorityClass (1.32).
import type { TablePrinter } from './types.js';
import { ageCol, col, int, nameCol, objAge, objName, str } from './columns.js';

export const priorityClassPrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Value', 'integer', 'The priority pods of this class receive.'),
    col('Global-Default', 'boolean', 'Whether this is the default class for pods without one.'),
    ageCol(),
    // Upstream declares this column without a priority, so it shows without -o wide.
    col('PreemptionPolicy', 'string', 'Whether pods of this class may preempt others.'),
  ],
  cells: (pc, now) => [objName(pc), int(pc?.value), pc?.globalDefault === true, objAge(pc, now), str(pc?.preemptionPolicy)],
};
