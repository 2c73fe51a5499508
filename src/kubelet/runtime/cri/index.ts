// The `cri` runtime: the kubelet's runtime contract over a CRI v1 gRPC runtime (containerd).
export { CriRuntime, createCriRuntime, imageMatches, type CriRuntimeOptions, type CriStreams } from './runtime.js';
export { CriClient, CriCallError, grpcTarget, type CriClientOptions, type CriService, type WireMessage } from './client.js';
export { CRI_PROTO, criPackageDefinition } from './proto.js';
export { createCriStreams, type CriStreamsOptions } from './streaming.js';
