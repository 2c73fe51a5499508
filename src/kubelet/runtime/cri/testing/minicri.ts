// A few CRI v1 calls for the harness's own tests, independent of the runtime's client: a tiny
// subset of k8s.io/cri-api v0.25 api.proto (field numbers are upstream's; proto3 ignores the
// fields left out).
import * as grpc from '@grpc/grpc-js';
import { fromJSON } from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import { realClock } from '../../../../util/clock.js';

const PROTO = `
syntax = "proto3";
package runtime.v1;
service RuntimeService {
  rpc RunPodSandbox(RunPodSandboxRequest) returns (RunPodSandboxResponse) {}
  rpc StopPodSandbox(PodSandboxIdRequest) returns (Empty) {}
  rpc RemovePodSandbox(PodSandboxIdRequest) returns (Empty) {}
  rpc PodSandboxStatus(PodSandboxIdRequest) returns (PodSandboxStatusResponse) {}
  rpc CreateContainer(CreateContainerRequest) returns (CreateContainerResponse) {}
  rpc StartContainer(ContainerIdRequest) returns (Empty) {}
  rpc Exec(ExecRequest) returns (UrlResponse) {}
  rpc ExecSync(ExecSyncRequest) returns (ExecSyncResponse) {}
  rpc Attach(AttachRequest) returns (UrlResponse) {}
  rpc PortForward(PortForwardRequest) returns (UrlResponse) {}
}
service ImageService {
  rpc PullImage(PullImageRequest) returns (PullImageResponse) {}
  rpc ImageStatus(ImageStatusRequest) returns (ImageStatusResponse) {}
}
message Empty {}
message PodSandboxMetadata { string name = 1; string uid = 2; string namespace = 3; uint32 attempt = 4; }
message NamespaceOption { int32 network = 1; int32 pid = 2; int32 ipc = 3; }
message LinuxSandboxSecurityContext { NamespaceOption namespace_options = 1; }
message LinuxPodSandboxConfig { string cgroup_parent = 1; LinuxSandboxSecurityContext security_context = 2; }
message PodSandboxConfig { PodSandboxMetadata metadata = 1; string hostname = 2; string log_directory = 3; LinuxPodSandboxConfig linux = 8; }
message RunPodSandboxRequest { PodSandboxConfig config = 1; }
message RunPodSandboxResponse { string pod_sandbox_id = 1; }
message PodSandboxIdRequest { string pod_sandbox_id = 1; }
message PodSandboxNetworkStatus { string ip = 1; }
message PodSandboxStatus { string id = 1; int32 state = 3; PodSandboxNetworkStatus network = 5; }
message PodSandboxStatusResponse { PodSandboxStatus status = 1; }
message ImageSpec { string image = 1; }
message ContainerMetadata { string name = 1; uint32 attempt = 2; }
message LinuxContainerSecurityContext { NamespaceOption namespace_options = 3; }
message LinuxContainerConfig { LinuxContainerSecurityContext security_context = 2; }
message ContainerConfig { ContainerMetadata metadata = 1; ImageSpec image = 2; repeated string command = 3; repeated string args = 4;
  string log_path = 11; bool stdin = 12; bool stdin_once = 13; bool tty = 14; LinuxContainerConfig linux = 15; }
message CreateContainerRequest { string pod_sandbox_id = 1; ContainerConfig config = 2; PodSandboxConfig sandbox_config = 3; }
message CreateContainerResponse { string container_id = 1; }
message ContainerIdRequest { string container_id = 1; }
message ExecRequest { string container_id = 1; repeated string cmd = 2; bool tty = 3; bool stdin = 4; bool stdout = 5; bool stderr = 6; }
message AttachRequest { string container_id = 1; bool stdin = 2; bool tty = 3; bool stdout = 4; bool stderr = 5; }
message PortForwardRequest { string pod_sandbox_id = 1; repeated int32 port = 2; }
message UrlResponse { string url = 1; }
message ExecSyncRequest { string container_id = 1; repeated string cmd = 2; int64 timeout = 3; }
message ExecSyncResponse { bytes stdout = 1; bytes stderr = 2; int32 exit_code = 3; }
message AuthConfig { string username = 1; string password = 2; }
message PullImageRequest { ImageSpec image = 1; AuthConfig auth = 2; }
message PullImageResponse { string image_ref = 1; }
message ImageStatusRequest { ImageSpec image = 1; }
message Image { string id = 1; repeated string repo_tags = 2; }
message ImageStatusResponse { Image image = 1; }
`;

export type Msg = Record<string, any>;
type Unary = (req: Msg, md: grpc.Metadata, o: grpc.CallOptions, cb: (e: grpc.ServiceError | null, r?: Msg) => void) => void;

/** call('RunPodSandbox', {...}) on whichever service has the rpc; 30 s deadline. */
export interface MiniCri {
  call(rpc: string, req: Msg): Promise<Msg>;
  close(): void;
}

export function miniCri(endpoint: string): MiniCri {
  const root = protobuf.parse(PROTO, { keepCase: true }).root;
  const def = fromJSON(root.toJSON(), { keepCase: true, longs: String, enums: String, defaults: true });
  const pkg = grpc.loadPackageDefinition(def) as unknown as { runtime: { v1: Record<string, grpc.ServiceClientConstructor> } };
  const rt = new pkg.runtime.v1.RuntimeService!(endpoint, grpc.credentials.createInsecure());
  const img = new pkg.runtime.v1.ImageService!(endpoint, grpc.credentials.createInsecure(), { channelOverride: rt.getChannel() });
  return {
    call(rpc, req) {
      const client = (rpc === 'PullImage' || rpc === 'ImageStatus' ? img : rt) as unknown as Record<string, Unary>;
      return new Promise((resolve, reject) => {
        client[rpc]!.call(client, req, new grpc.Metadata(), { deadline: realClock.now() + 30_000 }, (e, r) => (e ? reject(e) : resolve(r ?? {})));
      });
    },
    close() {
      img.close();
      rt.close();
    },
  };
}
