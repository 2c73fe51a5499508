// One API client per controller, as kube-controller-manager's ClientBuilder hands out
// (controllerContext.ClientBuilder.ClientOrDie("<name>")): each has its own token bucket at the
// configured --kube-api-qps/--kube-api-burst and a user agent ending in "/<name>". Sharing one
// bucket lets one busy controller starve every other — a ReplicaSet creating 500 pods at 20 qps
// queued the leader-election renewals behind them and the manager lost its lease mid-rollout.
import { RestClient, type Client } from '../client/index.js';

export interface ClientBuilder {
  /** The client for `name` (made once, then reused). */
  client(name: string): Client;
  /** Closes the clients this builder made (never the base client). */
  close(): void;
}

/**
 * Clients derived from `base`: a RestClient's config with a fresh limiter per name; any other
 * Client (fakes in tests) is shared as it is. A limiter the caller set explicitly stays shared.
 */
export function controllerClientBuilder(base: Client): ClientBuilder {
  const made = new Map<string, RestClient>();
  return {
    client(name) {
      if (!(base instanceof RestClient)) return base;
      let c = made.get(name);
      if (!c) {
        const ua = base.config.userAgent ?? 'skiff-controller-manager';
        c = new RestClient({ ...base.config, userAgent: `${ua}/${name}` });
        made.set(name, c);
      }
      return c;
    },
    close() {
      for (const c of made.values()) c.close();
      made.clear();
    },
  };
}
