// Raw CRI v1 calls for the harness's and the streaming client's tests, by rpc name alone, on the
// runtime's own gRPC client (messages in their wire spelling: snake_case, int64 as strings).
import { CriClient, type WireMessage } from '../client.js';

export type Msg = WireMessage;

/** call('RunPodSandbox', {...}) on whichever service has the rpc; 30 s deadline. */
export interface MiniCri {
  call(rpc: string, req: Msg): Promise<Msg>;
  close(): void;
}

const IMAGE_RPCS = new Set(['PullImage', 'ImageStatus', 'ListImages', 'RemoveImage', 'ImageFsInfo']);

export function miniCri(endpoint: string): MiniCri {
  const client = new CriClient({ endpoint, timeoutMs: 30_000 });
  return {
    call: (rpc, req) => client.call(IMAGE_RPCS.has(rpc) ? 'image' : 'runtime', rpc, req),
    close: () => client.close(),
  };
}
