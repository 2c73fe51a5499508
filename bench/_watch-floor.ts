// The platform's floor for watch fan-out, run as a child process by the apiserver bench: a bare
// node:https server with the API server's TLS settings and serving certificate, holding the same
// 1,000 watch connections and writing the same event lines (one HTTP/1.1 chunk per watcher per
// event) at the same rate, with no API server work at all (no request, commit or watch cache). The
// gap between its delivery latency and the API server's is the server's own cost; the floor itself
// is Node's TLS write path plus loopback TCP on this machine.
//
// Input (env FLOOR_INPUT, JSON): FloorInput. Prints "listening <port>" once it listens, then
// "done" after the last event was written, and exits on stdin close.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { Socket } from 'node:net';

export interface FloorInput {
  /** Paths of the serving certificate, its key and the client CA (the API server's). */
  certFile: string;
  keyFile: string;
  caFile: string;
  watchers: number;
  writes: number;
  rate: number;
  /** One watch line as the API server sends it, with SENT_AT where data.sentAt's value goes. */
  template: string;
}

export const SENT_AT = '@@SENT_AT@@';

const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

function main(input: FloorInput): void {
  const [head, tail] = input.template.split(SENT_AT) as [string, string];
  const sockets: Socket[] = [];
  const server = createServer({
    cert: readFileSync(input.certFile), key: readFileSync(input.keyFile), ca: readFileSync(input.caFile),
    requestCert: true, rejectUnauthorized: true, ALPNProtocols: ['http/1.1'],
    keepAliveTimeout: 65_000, headersTimeout: 60_000, requestTimeout: 0,
  }, (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    sockets.push(res.socket!);
    if (sockets.length === input.watchers) setTimeout(run, 200);
  });
  const run = (): void => {
    const t0 = nowMs();
    let i = 0;
    const tick = (): void => {
      const line = `${head}${nowMs().toFixed(3)}${tail}`;
      const frame = Buffer.from(`${Buffer.byteLength(line).toString(16)}\r\n${line}\r\n`);
      for (const s of sockets) s.write(frame);
      if (++i < input.writes) setTimeout(tick, Math.max(0, t0 + (i * 1000) / input.rate - nowMs()));
      else process.stdout.write('done\n');
    };
    tick();
  };
  server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${(server.address() as { port: number }).port}\n`));
  process.stdin.on('close', () => process.exit(0));
  process.stdin.resume();
}

if (process.env.FLOOR_INPUT) main(JSON.parse(process.env.FLOOR_INPUT) as FloorInput);
