// node.k8s.io/v1 RuntimeClass, after upstream printRuntimeClass (1.32).
import type { TablePrinter } from './types.js';
import { ageCol, col, nameCol, objAge, objName, str } from './columns.js';

export const runtimeClassPrinter: TablePrinter = {
  columns: [nameCol(), col('Handler', 'string', 'The CRI handler that runs pods of this class.'), ageCol()],
  cells: (rc, now) => [objName(rc), str(rc?.handler), objAge(rc, now)],
};
