// kubeconfig files, the way kubectl writes and reads them (apiVersion v1, kind Config): one
// cluster, one user and one context when we write; any context, embedded *-data or file paths
// (relative to the kubeconfig's folder, as client-go resolves them) when we read.
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse, stringify } from 'yaml';

export interface KubeconfigCluster {
  server: string;
  caPem?: string;
  insecureSkipTlsVerify?: boolean;
}

export interface KubeconfigUser {
  certPem?: string;
  keyPem?: string;
  token?: string;
}

/** What a client needs to reach and authenticate to one API server. */
export interface LoadedKubeconfig {
  server: string;
  caPem?: string;
  insecureSkipTlsVerify: boolean;
  certPem?: string;
  keyPem?: string;
  token?: string;
  namespace: string;
}

/** Renders a single-context kubeconfig; cluster, user and context all carry `name` (default "skiff"). */
export function renderKubeconfig(opts: {
  cluster: KubeconfigCluster; user: KubeconfigUser; name?: string; namespace?: string;
}): string {
  const name = opts.name ?? 'skiff';
  const cluster: Record<string, unknown> = {};
  if (opts.cluster.caPem) cluster['certificate-authority-data'] = b64(opts.cluster.caPem);
  if (opts.cluster.insecureSkipTlsVerify) cluster['insecure-skip-tls-verify'] = true;
  cluster['server'] = opts.cluster.server;

  const user: Record<string, unknown> = {};
  if (opts.user.certPem) user['client-certificate-data'] = b64(opts.user.certPem);
  if (opts.user.keyPem) user['client-key-data'] = b64(opts.user.keyPem);
  if (opts.user.token) user['token'] = opts.user.token;

  const context: Record<string, unknown> = { cluster: name };
  if (opts.namespace) context['namespace'] = opts.namespace;
  context['user'] = name;

  // Key order as `kubectl config view --raw` prints it, so diffs against kubectl's output stay small.
  const doc = {
    apiVersion: 'v1',
    clusters: [{ cluster, name }],
    contexts: [{ context, name }],
    'current-context': name,
    kind: 'Config',
    preferences: {},
    users: [{ name, user }],
  };
  // lineWidth 0: never fold the long base64 scalars; unindented sequences as kubectl writes them.
  return stringify(doc, { lineWidth: 0, indentSeq: false });
}

/** Writes a kubeconfig with mode 0600 (it holds credentials) via a temporary file and rename. */
export async function writeKubeconfig(path: string, yamlText: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, yamlText, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, path);
}

type Obj = Record<string, unknown>;

/** Loads a kubeconfig file (current-context or the named context), decoding *-data fields and resolving file paths relative to it. */
export async function loadKubeconfig(path: string, context?: string): Promise<LoadedKubeconfig> {
  const base = dirname(resolve(path));
  const doc = (parse(await readFile(path, 'utf8')) ?? {}) as Obj;
  const must = <T>(v: T | undefined, msg: string): T => {
    if (v === undefined) throw new Error(`kubeconfig ${path}: ${msg}`);
    return v;
  };

  const ctxName = must(context ?? str(doc['current-context']), 'no context given and current-context is not set');
  const ctx = must(lookup(doc, 'contexts', 'context', ctxName), `context "${ctxName}" not found`);
  const clusterName = must(str(ctx['cluster']), `context "${ctxName}" names no cluster`);
  const cluster = must(lookup(doc, 'clusters', 'cluster', clusterName), `cluster "${clusterName}" not found`);
  const userName = str(ctx['user']);
  const user = userName ? must(lookup(doc, 'users', 'user', userName), `user "${userName}" not found`) : {};

  const out: LoadedKubeconfig = {
    server: must(str(cluster['server']), `cluster "${clusterName}" has no server`),
    insecureSkipTlsVerify: cluster['insecure-skip-tls-verify'] === true,
    namespace: str(ctx['namespace']) ?? 'default',
  };
  const caPem = await dataOrFile(cluster, 'certificate-authority', base);
  if (caPem) out.caPem = caPem;
  const certPem = await dataOrFile(user, 'client-certificate', base);
  if (certPem) out.certPem = certPem;
  const keyPem = await dataOrFile(user, 'client-key', base);
  if (keyPem) out.keyPem = keyPem;
  const tokenFile = str(user['tokenFile']);
  const token = str(user['token']) ?? (tokenFile ? (await readFile(resolveFrom(base, tokenFile), 'utf8')).trim() : undefined);
  if (token) out.token = token;

  // Refuse, don't approximate: a user that only authenticates through a plugin or a password
  // would otherwise silently become anonymous.
  if (!out.certPem && !out.token) {
    const how = user['exec'] ? 'exec' : user['auth-provider'] ? 'auth-provider' : user['username'] ? 'basic auth' : undefined;
    if (how) throw new Error(`kubeconfig ${path}: user "${userName}" authenticates with ${how}, which Skiff does not support`);
  }
  return out;
}

// Finds `{name, <field>: {...}}` in the named list, as kubeconfig stores clusters/users/contexts.
function lookup(doc: Obj, list: string, field: string, name: string): Obj | undefined {
  const items = Array.isArray(doc[list]) ? (doc[list] as unknown[]) : [];
  const hit = items.find((i): i is Obj => typeof i === 'object' && i !== null && (i as Obj)['name'] === name);
  if (!hit) return undefined;
  const body = hit[field];
  return typeof body === 'object' && body !== null ? (body as Obj) : {};
}

// `<field>-data` (base64 PEM) wins over `<field>` (a path), as in client-go.
async function dataOrFile(obj: Obj, field: string, base: string): Promise<string | undefined> {
  const data = str(obj[`${field}-data`]);
  if (data) return Buffer.from(data, 'base64').toString('utf8');
  const file = str(obj[field]);
  return file ? readFile(resolveFrom(base, file), 'utf8') : undefined;
}

function resolveFrom(base: string, p: string): string {
  return isAbsolute(p) ? p : resolve(base, p);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function b64(pem: string): string {
  return Buffer.from(pem, 'utf8').toString('base64');
}
