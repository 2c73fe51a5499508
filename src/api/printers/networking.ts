// networking.k8s.io/v1 printers (1.32 upstream): Ingress, IngressClass, NetworkPolicy.
import type { TablePrinter } from './types.js';
import { ageCol, col, nameCol, objAge, objName, str } from './columns.js';
import { formatLabelSelector } from './format.js';
import { loadBalancerIngress } from './core-service.js';

/** formatHosts: up to three rule hosts, `*` when none, then `+ N more...` counted over all rules. */
export function ingressHosts(rules: any[] | undefined): string {
  const list = rules ?? [];
  const max = 3;
  const hosts: string[] = [];
  let more = false;
  for (const rule of list) {
    if (hosts.length === max) more = true;
    if (!more && rule?.host) hosts.push(String(rule.host));
  }
  if (hosts.length === 0) return '*';
  const shown = hosts.join(',');
  return more ? `${shown} + ${list.length - max} more...` : shown;
}

export const ingressPrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Class', 'string', 'spec.ingressClassName.'),
    col('Hosts', 'string', 'Hosts the rules match (* when none).'),
    col('Address', 'string', 'Load-balancer addresses from status.'),
    col('Ports', 'string', 'Listener ports: 80, plus 443 with TLS.'),
    ageCol(),
  ],
  cells(ing, now) {
    const spec = ing?.spec ?? {};
    return [
      objName(ing),
      spec.ingressClassName != null ? str(spec.ingressClassName) : '<none>',
      ingressHosts(spec.rules),
      loadBalancerIngress(ing?.status?.loadBalancer?.ingress),
      // Upstream reports the listener ports, not the backends: 443 appears once TLS is configured.
      (spec.tls ?? []).length > 0 ? '80, 443' : '80',
      objAge(ing, now),
    ];
  },
};

export const ingressClassPrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Controller', 'string', 'The controller that implements this class.'),
    col('Parameters', 'string', 'Parameters resource, as Kind.group/name.'),
    ageCol(),
  ],
  cells(ic, now) {
    const p = ic?.spec?.parameters;
    let params = '<none>';
    if (p) {
      params = str(p.kind);
      if (p.apiGroup != null) params += `.${str(p.apiGroup)}`;
      params += `/${str(p.name)}`;
    }
    return [objName(ic), str(ic?.spec?.controller), params, objAge(ic, now)];
  },
};

export const networkPolicyPrinter: TablePrinter = {
  columns: [nameCol(), col('Pod-Selector', 'string', 'The pods this policy applies to.'), ageCol()],
  cells: (np, now) => [objName(np), formatLabelSelector(np?.spec?.podSelector ?? {}), objAge(np, now)],
};
