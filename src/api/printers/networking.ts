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
    col('Class', 'string', 'The name of the IngressClass resource that should be used for additional configuration'),
    col('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    col('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    col('Ports', 'string', 'Ports of TLS configurations that open'),
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
    col('Controller', 'string', 'Controller that is responsible for handling this class'),
    col('Parameters', 'string', 'A reference to a resource with additional parameters'),
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
