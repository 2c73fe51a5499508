// coordination.k8s.io/v1 Lease, after upstream printLease (1.32).
import type { TablePrinter } from './types.js';
import { ageCol, col, nameCol, objAge, objName, str } from './columns.js';

export const leasePrinter: TablePrinter = {
  columns: [nameCol(), col('Holder', 'string', 'The current holder of the lease (spec.holderIdentity).'), ageCol()],
  cells: (l, now) => [objName(l), str(l?.spec?.holderIdentity), objAge(l, now)],
};
