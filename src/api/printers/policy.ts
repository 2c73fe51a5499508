// policy/v1 PodDisruptionBudget, after upstream printPodDisruptionBudget (1.32).
import type { TablePrinter } from './types.js';
import { ageCol, col, int, nameCol, objAge, objName } from './columns.js';
import { intOrString } from './format.js';

export const podDisruptionBudgetPrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Min Available', 'string', 'The minimum number of pods that must be available.'),
    col('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    col('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
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
