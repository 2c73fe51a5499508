// A CRI v1 gRPC client over containerd's socket (`--cri-endpoint unix:///run/containerd/containerd.sock`).
// Every call carries a deadline (upstream kubelet: --runtime-request-timeout, 2 min; image pulls get
// their own). grpc-js re-dials the channel by itself when containerd restarts; we cap its reconnect
// backoff so the node notices a restarted daemon within about a second, and turn the UNAVAILABLE that
// calls get meanwhile into a ServiceUnavailable StatusError that names the endpoint.
import * as grpc from '@grpc/grpc-js';
import { realClock } from '../../../util/clock.js';
import { StatusError, type StatusReason } from '../../../util/errors.js';
import type { Logger } from '../../../util/log.js';
import { criPackageDefinition } from './proto.js';

/** A CRI message in proto3-JSON wire spelling (snake_case, int64 as strings, enums as names). */
export type WireMessage = Record<string, any>;

export type CriService = 'runtime' | 'image';

export interface CriClientOptions {
  /** `unix:///path/to/containerd.sock` (a bare absolute path is accepted too). */
  endpoint: string;
  /** Deadline of ordinary calls; default 10 s. */
  timeoutMs?: number;
  /** Deadline of image pulls (and RunPodSandbox, which may pull the pause image); default 2 min. */
  pullTimeoutMs?: number;
  /** Upper bound of grpc-js's reconnect backoff; default 1 s. */
  maxReconnectBackoffMs?: number;
  log?: Logger;
}

/** A failed CRI call: a StatusError that also keeps the gRPC status code and the RPC name. */
export class CriCallError extends StatusError {
  constructor(code: number, reason: StatusReason, message: string, readonly grpcCode: number, readonly rpc: string) {
    super(code, reason, message);
    this.name = 'CriCallError';
  }
}

/** What each gRPC status code becomes in the contract's error vocabulary. */
const CODE_MAP: Partial<Record<grpc.status, [number, StatusReason]>> = {
  [grpc.status.NOT_FOUND]: [404, 'NotFound'],
  [grpc.status.UNAVAILABLE]: [503, 'ServiceUnavailable'],
  [grpc.status.DEADLINE_EXCEEDED]: [504, 'Timeout'],
  [grpc.status.INVALID_ARGUMENT]: [400, 'BadRequest'],
  [grpc.status.ALREADY_EXISTS]: [409, 'AlreadyExists'],
  [grpc.status.PERMISSION_DENIED]: [403, 'Forbidden'],
  [grpc.status.UNAUTHENTICATED]: [401, 'Unauthorized'],
  [grpc.status.RESOURCE_EXHAUSTED]: [429, 'TooManyRequests'],
};

/** Converts a grpc-js ServiceError (or anything thrown by a call) into a CriCallError. */
export function toCallError(err: unknown, rpc: string, endpoint: string): CriCallError {
  const e = err as Partial<grpc.ServiceError>;
  const code = typeof e.code === 'number' ? e.code : grpc.status.UNKNOWN;
  const detail = e.details || (err instanceof Error ? err.message : String(err));
  const [http, reason] = CODE_MAP[code] ?? [500, 'InternalError' as const];
  const message = code === grpc.status.UNAVAILABLE
    ? `container runtime at ${endpoint} is unavailable (${rpc}): ${detail}`
    : `CRI ${rpc}: ${grpc.status[code] ?? code}: ${detail}`;
  return new CriCallError(http, reason, message, code, rpc);
}

/** `unix:///run/x.sock` and `/run/x.sock` → the grpc-js target `unix:///run/x.sock`. */
export function grpcTarget(endpoint: string): string {
  if (endpoint.startsWith('unix://')) return endpoint;
  if (endpoint.startsWith('unix:')) return 'unix://' + endpoint.slice('unix:'.length);
  if (endpoint.startsWith('/')) return 'unix://' + endpoint;
  throw new Error(`CRI endpoint ${JSON.stringify(endpoint)}: only unix sockets are supported (unix:///path/to.sock)`);
}

type UnaryMethod = (req: WireMessage, meta: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: WireMessage) => void) => void;

export class CriClient {
  readonly endpoint: string;
  readonly timeoutMs: number;
  readonly pullTimeoutMs: number;
  private readonly runtimeClient: grpc.Client;
  private readonly imageClient: grpc.Client;

  constructor(private readonly opts: CriClientOptions) {
    this.endpoint = opts.endpoint;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.pullTimeoutMs = opts.pullTimeoutMs ?? 120_000;
    const pkg = grpc.loadPackageDefinition(criPackageDefinition()) as unknown as {
      runtime: { v1: { RuntimeService: grpc.ServiceClientConstructor; ImageService: grpc.ServiceClientConstructor } };
    };
    const backoff = opts.maxReconnectBackoffMs ?? 1000;
    const channelOptions: grpc.ChannelOptions = {
      // Upstream kubelet allows 16 MiB responses (ListContainers on a full node).
      'grpc.max_receive_message_length': 16 * 1024 * 1024,
      'grpc.initial_reconnect_backoff_ms': Math.min(200, backoff),
      'grpc.max_reconnect_backoff_ms': backoff,
    };
    const target = grpcTarget(opts.endpoint);
    this.runtimeClient = new pkg.runtime.v1.RuntimeService(target, grpc.credentials.createInsecure(), channelOptions);
    // One connection for both services, as containerd serves them on one socket.
    this.imageClient = new pkg.runtime.v1.ImageService(target, grpc.credentials.createInsecure(), {
      ...channelOptions, channelOverride: this.runtimeClient.getChannel(),
    });
  }

  /**
   * Calls `rpc` (e.g. 'ListContainers') on RuntimeService or ImageService. Rejects with a
   * CriCallError; timeoutMs overrides the default deadline of this kind of call.
   */
  call(service: CriService, rpc: string, req: WireMessage, timeoutMs?: number): Promise<WireMessage> {
    const client = service === 'runtime' ? this.runtimeClient : this.imageClient;
    const method = (client as unknown as Record<string, UnaryMethod | undefined>)[rpc];
    if (typeof method !== 'function') return Promise.reject(new Error(`CRI ${service} service has no RPC ${rpc}`));
    const ms = timeoutMs ?? (rpc === 'PullImage' ? this.pullTimeoutMs : this.timeoutMs);
    // gRPC deadlines are wall-clock instants.
    const deadline = realClock.now() + ms;
    return new Promise((resolve, reject) => {
      method.call(client, req, new grpc.Metadata(), { deadline }, (err, res) => {
        if (err) {
          const ce = toCallError(err, rpc, this.endpoint);
          this.opts.log?.v(4).info('CRI call failed', { rpc, code: ce.grpcCode, message: ce.message });
          reject(ce);
        } else resolve(res ?? {});
      });
    });
  }

  /** The channel's connectivity (for diagnostics and tests). */
  state(): grpc.connectivityState {
    return this.runtimeClient.getChannel().getConnectivityState(false);
  }

  close(): void {
    this.imageClient.close();
    this.runtimeClient.close();
  }
}
