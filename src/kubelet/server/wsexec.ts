// exec/attach over WebSocket channels (v4.channel.k8s.io, v5.channel.k8s.io): the CommandStreams
// of remotecommand.ts mapped onto one socket. Everything is a binary message; the Status goes on
// channel 3 and is followed by a normal close (1000). We never send the v5 close signal to the
// client: kubectl logs "Unknown stream id 255" for it (kubectl-wire §11.3).
import { PassThrough, Writable } from 'node:stream';
import type { WebSocket } from 'ws';
import type { TerminalSize } from '../runtime/index.js';
import { CLOSE, ERROR, RESIZE, STDERR, STDIN, STDOUT, V5, decodeFrame, encodeFrame, parseResize } from './channel.js';
import type { CommandRequest, CommandStreams } from './remotecommand.js';

/** A Writable that frames every chunk onto one channel of the socket. */
export function channelWriter(ws: WebSocket, channel: number): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (ws.readyState !== ws.OPEN) return cb();
      ws.send(encodeFrame(channel, chunk), { binary: true }, () => cb());
    },
  });
}

export function wsCommandStreams(ws: WebSocket, protocol: string, req: CommandRequest): CommandStreams {
  const stdin = req.stdin ? new PassThrough() : undefined;
  const resizeFns: ((s: TerminalSize) => void)[] = [];
  const goneFns: (() => void)[] = [];
  let finished = false;

  ws.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
    const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    // Text messages belong to the base64 protocols, which we do not offer.
    if (!isBinary) return;
    const f = decodeFrame(buf);
    if (!f) return;
    switch (f.channel) {
      case STDIN:
        if (stdin && !stdin.writableEnded) stdin.write(f.payload);
        return;
      case RESIZE: {
        const size = parseResize(f.payload);
        if (size) for (const fn of resizeFns) fn(size);
        return;
      }
      case CLOSE:
        // v5: [255, channel] half-closes that channel; only stdin matters to us.
        if (protocol === V5 && f.payload[0] === STDIN && stdin && !stdin.writableEnded) stdin.end();
        return;
      default:
        return;
    }
  });
  ws.on('close', () => {
    if (stdin && !stdin.writableEnded) stdin.end();
    if (!finished) for (const fn of goneFns) fn();
  });
  ws.on('error', () => {});

  return {
    ...(stdin ? { stdin } : {}),
    ...(req.stdout ? { stdout: channelWriter(ws, STDOUT) } : {}),
    ...(req.stderr && !req.tty ? { stderr: channelWriter(ws, STDERR) } : {}),
    onResize: (fn) => resizeFns.push(fn),
    onGone: (fn) => goneFns.push(fn),
    finish(status) {
      if (finished) return;
      finished = true;
      if (ws.readyState !== ws.OPEN) return;
      // ws keeps message order: output sent earlier reaches the client before the Status.
      ws.send(encodeFrame(ERROR, JSON.stringify(status)), { binary: true }, () => ws.close(1000));
    },
  };
}
