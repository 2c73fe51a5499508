// Registry credentials keyed by registry host and path, as upstream's credentialprovider
// BasicDockerKeyring: entries come from docker config files (`{"auths": {...}}` or the legacy
// top-level map), keys are schemeless `host[:port][/path]`, and lookup returns every entry whose key
// matches the image's repository — most specific (reverse-sorted) first — falling back to the
// Docker Hub entry for Hub images.
import type { AuthConfig } from '../runtime/index.js';

/** One `auths` entry of a docker config (fields as docker writes them). */
export interface DockerConfigEntry {
  username?: string;
  password?: string;
  /** base64("user:password"); when set it overrides username and password. */
  auth?: string;
  email?: string;
  identitytoken?: string;
  registrytoken?: string;
}

/** Registry location (`https://index.docker.io/v1/`, `registry.example:5000/team`) → entry. */
export type DockerConfig = Record<string, DockerConfigEntry>;

/** upstream defaultRegistryHost: the key Docker Hub credentials end up under. */
const DEFAULT_REGISTRY_HOST = 'index.docker.io';

/** Turns one config entry into the CRI AuthConfig (auth decoded into username/password, as upstream). */
export function entryToAuth(entry: DockerConfigEntry): AuthConfig {
  let username = entry.username ?? '';
  let password = entry.password ?? '';
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    // upstream decodeDockerConfigFieldAuth: anything but user:password is an error.
    if (colon < 0) throw new Error('unable to parse auth field, must be formatted as base64(username:password)');
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  const out: AuthConfig = {};
  if (username) out.username = username;
  if (password) out.password = password;
  if (entry.identitytoken) out.identityToken = entry.identitytoken;
  if (entry.registrytoken) out.registryToken = entry.registrytoken;
  return out;
}

interface ParsedLoc {
  host: string;
  port: string;
  path: string;
}

/** `[scheme://]host[:port][/path]` → parts; undefined when there is no host. */
function parseLoc(s: string): ParsedLoc | undefined {
  const rest = s.replace(/^https?:\/\//, '');
  const slash = rest.indexOf('/');
  const hostPort = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? '' : rest.slice(slash);
  if (!hostPort) return undefined;
  const m = /^(.*?)(?::(\d+))?$/.exec(hostPort)!;
  return { host: m[1]!.toLowerCase(), port: m[2] ?? '', path };
}

/** Go path.Match for one host label: `*` and `?` never cross a dot (labels are matched one by one). */
function globLabel(glob: string, label: string): boolean {
  if (!glob.includes('*') && !glob.includes('?')) return glob === label;
  const re = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(label);
}

/**
 * upstream URLsMatch: same port, same number of host labels each matching as a glob
 * (`*.example.com`), and the target path starting with the key's path (a plain string prefix).
 */
export function locMatches(key: string, target: string): boolean {
  const k = parseLoc(key);
  const t = parseLoc(target);
  if (!k || !t) return false;
  if (k.port !== t.port) return false;
  const kl = k.host.split('.');
  const tl = t.host.split('.');
  if (kl.length !== tl.length) return false;
  if (!kl.every((g, i) => globLabel(g, tl[i]!))) return false;
  return t.path.startsWith(k.path);
}

/** upstream isDefaultRegistryMatch: does this repository live on Docker Hub? */
function isDockerHub(repo: string): boolean {
  const slash = repo.indexOf('/');
  if (slash === 0 || repo === '') return false;
  if (slash < 0) return true;
  const first = repo.slice(0, slash);
  if (first === 'docker.io' || first === 'index.docker.io') return true;
  return !/[.:]/.test(first);
}

/** `docker.io/library/busybox:1.36@sha256:…` → `docker.io/library/busybox` (upstream ParseImageName's repo). */
export function repositoryOf(image: string): string {
  let name = image;
  const at = name.indexOf('@');
  if (at >= 0) name = name.slice(0, at);
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > slash) name = name.slice(0, colon);
  const first = name.split('/')[0]!;
  const hasRegistry = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return hasRegistry ? name : `docker.io/${name.includes('/') ? name : `library/${name}`}`;
}

export class DockerKeyring {
  /** Keys, reverse-sorted so that `host/team` comes before `host` (upstream sorts its index so). */
  private index: string[] = [];
  private readonly creds = new Map<string, AuthConfig[]>();

  /** Adds every entry of a docker config; entries without a parsable host are skipped, as upstream. */
  add(cfg: DockerConfig): void {
    for (const [loc, entry] of Object.entries(cfg)) {
      const p = parseLoc(loc);
      if (!p) continue;
      // `/v1/` and `/v2/` mean the registry itself (docker's ResolveAuthConfig).
      let path = p.path;
      if (path.startsWith('/v1/') || path.startsWith('/v2/')) path = path.slice(3);
      const hostPort = p.port ? `${p.host}:${p.port}` : p.host;
      const key = path && path !== '/' ? hostPort + path : hostPort;
      const list = this.creds.get(key) ?? [];
      list.push(entryToAuth(entry));
      this.creds.set(key, list);
    }
    this.index = [...this.creds.keys()].sort().reverse();
  }

  /** Credentials to try for an image, most specific match first; [] when none apply. */
  lookup(image: string): AuthConfig[] {
    const repo = repositoryOf(image);
    const out: AuthConfig[] = [];
    for (const k of this.index) if (locMatches(k, repo)) out.push(...this.creds.get(k)!);
    if (out.length) return out;
    // Hub credentials stored under either spelling serve every Hub image (`index.docker.io/…` too).
    if (isDockerHub(repo)) return [...(this.creds.get(DEFAULT_REGISTRY_HOST) ?? this.creds.get('docker.io') ?? [])];
    return [];
  }

  get size(): number {
    return this.index.length;
  }
}
