// policy/v1 PodDisruptionBudget, after upstream printPodDisruptionBudget (1.32).
import type { TablePrinter } from './types.js';
import { ageCol, col, int, nameCol, objAge, objName } from './columns.js';
import { intOrString } from './format.js';

export const podDisruptionBudgetPrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Min Available', 'string', 'spec.minAvailable, or N/A.'),
    col('Max Unavailable', 'string', 'spec.maxUnavailable, or N/A.'),
    col('Allowed Disruptions', 'integer', 'Evictions currently permitted (status.disruptionsAllowed).'),
    ageCol(),
  ],
  cells: (pdb, now) => [
    objName(pdb),
    intOrString(pdb?.spec?.minAvailable) ?? 'N/A',
    intOrString(pdb?.spec?.maxUnavailable) ?? 'N/A',
    int(pdb?.status?.disruptionsAllowed),
    objAge(pdb, now),
  ],
};
