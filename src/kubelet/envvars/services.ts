// Service environment variables (upstream pkg/kubelet/envvars): `FOO_SERVICE_HOST/PORT`, one
// `FOO_SERVICE_PORT_<NAME>` per named port, and the Docker-link style `FOO_PORT…` family.
import type { Obj } from '../types.js';

function envName(s: string): string {
  return s.toUpperCase().replace(/-/g, '_');
}

/** Env vars for services with a cluster IP, in the order upstream emits them. */
export function serviceEnv(services: Obj[]): [string, string][] {
  const out: [string, string][] = [];
  for (const svc of services) {
    const ip = svc.spec?.clusterIP;
    if (!ip || ip === 'None') continue;
    const name = envName(svc.metadata.name);
    const ports: Obj[] = svc.spec?.ports ?? [];
    out.push([`${name}_SERVICE_HOST`, ip]);
    if (ports.length) out.push([`${name}_SERVICE_PORT`, String(ports[0]!.port)]);
    for (const p of ports) if (p.name) out.push([`${name}_SERVICE_PORT_${envName(p.name)}`, String(p.port)]);
    if (!ports.length) continue;
    const host = ip.includes(':') ? `[${ip}]` : ip;
    const first = ports[0]!;
    out.push([`${name}_PORT`, `${String(first.protocol ?? 'TCP').toLowerCase()}://${host}:${first.port}`]);
    for (const p of ports) {
      const proto = String(p.protocol ?? 'TCP');
      const prefix = `${name}_PORT_${p.port}_${proto.toUpperCase()}`;
      out.push([prefix, `${proto.toLowerCase()}://${host}:${p.port}`]);
      out.push([`${prefix}_PROTO`, proto.toLowerCase()]);
      out.push([`${prefix}_PORT`, String(p.port)]);
      out.push([`${prefix}_ADDR`, ip]);
    }
  }
  return out;
}

/**
 * The services whose variables a pod gets: its namespace's when enableServiceLinks (default true),
 * and always the `kubernetes` service of the default namespace (upstream getServiceEnvVarMap).
 */
export function servicesForPod(pod: Obj, all: Obj[]): Obj[] {
  const ns = pod.metadata.namespace;
  const links = pod.spec?.enableServiceLinks !== false;
  const byName = new Map<string, Obj>();
  for (const s of all) {
    if (s.metadata.namespace === 'default' && s.metadata.name === 'kubernetes') {
      if (!byName.has('kubernetes')) byName.set('kubernetes', s);
    } else if (s.metadata.namespace === ns && links) byName.set(s.metadata.name, s);
  }
  return [...byName.values()].sort((a, b) => String(a.metadata.name).localeCompare(String(b.metadata.name)));
}
