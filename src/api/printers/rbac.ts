// rbac.authorization.k8s.io/v1 printers (1.32 upstream). RoleBinding and ClusterRoleBinding have
// printers; Role and ClusterRole do not, so they get the generic Name / Created At table.
import type { TablePrinter } from './types.js';
import { ageCol, col, createdAtPrinter, nameCol, objAge, objName, str, wide } from './columns.js';

/** SubjectsStrings: users, groups and `namespace/name` service accounts, each joined with ', '. */
function subjects(binding: any): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of binding?.subjects ?? []) {
    if (s?.kind === 'ServiceAccount') sas.push(`${str(s.namespace)}/${str(s.name)}`);
    else if (s?.kind === 'User') users.push(str(s.name));
    else if (s?.kind === 'Group') groups.push(str(s.name));
  }
  return [users.join(', '), groups.join(', '), sas.join(', ')];
}

function bindingPrinter(what: string): TablePrinter {
  return {
    columns: [
      nameCol(),
      col('Role', 'string', 'The referenced role, as Kind/name.'),
      ageCol(),
      wide('Users', 'string', `Users bound by this ${what}.`),
      wide('Groups', 'string', `Groups bound by this ${what}.`),
      wide('ServiceAccounts', 'string', `Service accounts (namespace/name) bound by this ${what}.`),
    ],
    cells(b, now) {
      const ref = b?.roleRef ?? {};
      return [objName(b), `${str(ref.kind)}/${str(ref.name)}`, objAge(b, now), ...subjects(b)];
    },
  };
}

export const roleBindingPrinter = bindingPrinter('role binding');
export const clusterRoleBindingPrinter = bindingPrinter('cluster role binding');
export const rolePrinter: TablePrinter = createdAtPrinter;
export const clusterRolePrinter: TablePrinter = createdAtPrinter;
