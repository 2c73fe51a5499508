// gRPC health probes (upstream pkg/probe/grpc, grpc.health.v1.Health/Check) over node:http2
// without a gRPC library: one unary call, the request and response hand-encoded in protobuf
// (HealthCheckRequest{service=1}, HealthCheckResponse{status=1}); SERVING (1) is success.
import http2 from 'node:http2';
import type { ProbeOutcome } from './probe.js';

const STATUS = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];

function encodeRequest(service: string): Buffer {
  const s = Buffer.from(service, 'utf8');
  // Field 1, wire type 2 (length-delimited); absent when empty, as proto3 does.
  const body = s.length ? Buffer.concat([Buffer.from([0x0a]), varint(s.length), s]) : Buffer.alloc(0);
  const frame = Buffer.alloc(5);
  frame.writeUInt32BE(body.length, 1);
  return Buffer.concat([frame, body]);
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}

/** The status enum of a HealthCheckResponse message (0 when absent). */
export function decodeStatus(msg: Buffer): number {
  for (let i = 0; i < msg.length;) {
    const tag = msg[i++]!;
    if (tag === 0x08) {
      let v = 0;
      let shift = 0;
      for (;;) {
        const b = msg[i++]!;
        v |= (b & 0x7f) << shift;
        if (!(b & 0x80)) break;
        shift += 7;
      }
      return v;
    }
    break; // unknown field: the status is field 1 and comes first
  }
  return 0;
}

export function grpcProbe(host: string, port: number, service: string, timeoutS: number): Promise<ProbeOutcome> {
  const addr = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  return new Promise((resolve) => {
    let done = false;
    const finish = (o: ProbeOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      session.destroy();
      resolve(o);
    };
    const session = http2.connect(`http://${addr}`);
    const timer = setTimeout(() => finish({ result: 'failure', output: `timeout: health rpc did not complete within ${timeoutS}s` }), timeoutS * 1000);
    session.on('error', (err) => finish({ result: 'failure', output: `timeout: failed to connect service "${addr}" within ${timeoutS}s: ${err.message}` }));
    const req = session.request({ ':method': 'POST', ':path': '/grpc.health.v1.Health/Check', 'content-type': 'application/grpc', te: 'trailers', 'user-agent': 'kube-probe/1.32' });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', (err) => finish({ result: 'failure', output: `rpc error: ${err.message}` }));
    req.on('trailers', (t) => {
      const code = Number(t['grpc-status'] ?? 0);
      if (code !== 0) finish({ result: 'failure', output: `rpc error: code = ${code} desc = ${String(t['grpc-message'] ?? '')}` });
    });
    req.on('end', () => {
      const buf = Buffer.concat(chunks);
      if (buf.length < 5) return finish({ result: 'failure', output: 'rpc error: empty response' });
      const status = decodeStatus(buf.subarray(5, 5 + buf.readUInt32BE(1)));
      if (status === 1) finish({ result: 'success', output: '' });
      else finish({ result: 'failure', output: `service unhealthy (responded with "${STATUS[status] ?? status}")` });
    });
    req.end(encodeRequest(service));
  });
}

export { encodeRequest };
