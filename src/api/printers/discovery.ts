// discovery.k8s.io/v1 EndpointSlice, after upstream printEndpointSlice (1.32).
import type { TablePrinter } from './types.js';
import { ageCol, col, nameCol, objAge, objName, str } from './columns.js';
import { listWithMore } from './format.js';

/** formatDiscoveryPorts: port number, else its name, else `*`; three at most. */
function slicePorts(ports: any[] | undefined): string {
  return listWithMore(
    (ports ?? []).map((p) => (p?.port != null ? String(p.port) : p?.name != null ? str(p.name) : '*')),
  );
}

/** formatDiscoveryEndpoints: every address of every endpoint; three at most. */
function sliceEndpoints(endpoints: any[] | undefined): string {
  return listWithMore((endpoints ?? []).flatMap((e) => (e?.addresses ?? []).map(String)));
}

export const endpointSlicePrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('AddressType', 'string', 'IPv4, IPv6 or FQDN.'),
    col('Ports', 'string', 'Ports exposed by the slice.'),
    col('Endpoints', 'string', 'Addresses of the endpoints in the slice.'),
    ageCol(),
  ],
  cells: (es, now) => [objName(es), str(es?.addressType), slicePorts(es?.ports), sliceEndpoints(es?.endpoints), objAge(es, now)],
};
